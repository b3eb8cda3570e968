namespace OdeDsl.Language.Ast;

/// <summary>An expression. Parentheses leave no node: the tree's shape already says what they grouped.</summary>
public abstract record Expression(SourceSpan Span) : AstNode(Span);

/// <summary>A number as written (<see cref="Text"/>) and its value.</summary>
public sealed record NumberLiteral(string Text, double Value, SourceSpan Span) : Expression(Span);

/// <summary>A name, possibly dotted (<c>l1.W</c>).</summary>
public sealed record NameReference(string Name, SourceSpan Span) : Expression(Span);

/// <summary><c>-operand</c></summary>
public sealed record NegateExpression(Expression Operand, SourceSpan Span) : Expression(Span);

/// <summary>The binary operators, loosest last in precedence: <c>^</c>, then <c>* / @</c>, then <c>+ -</c>.</summary>
public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    MatrixMultiply,
    Power,
}

/// <summary><c>left op right</c></summary>
public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right, SourceSpan Span) : Expression(Span);

/// <summary><c>f(a, b)</c>: a built-in function or the application of a layer.</summary>
public sealed record CallExpression(NameReference Callee, EquatableArray<Expression> Arguments, SourceSpan Span) : Expression(Span);

/// <summary><c>[a; b; c]</c></summary>
public sealed record ConcatenationExpression(EquatableArray<Expression> Parts, SourceSpan Span) : Expression(Span);

/// <summary><c>target[index]</c></summary>
public sealed record IndexExpression(Expression Target, Expression Index, SourceSpan Span) : Expression(Span);

/// <summary><c>target[start:end]</c>; a missing bound means the start or the end of the axis.</summary>
public sealed record SliceExpression(Expression Target, Expression? Start, Expression? End, SourceSpan Span) : Expression(Span);
