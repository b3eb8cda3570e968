namespace OdeDsl.Language.Ast;

/// <summary>One statement inside a model; each ends with ';' (the span includes it).</summary>
public abstract record MemberDeclaration(SourceSpan Span) : AstNode(Span);

/// <summary><c>state x, y[2], W[3, 4];</c></summary>
public sealed record StateDeclaration(EquatableArray<StateDeclarator> Declarators, SourceSpan Span) : MemberDeclaration(Span);

/// <summary>One name in a state declaration; no dimensions means a scalar.</summary>
public sealed record StateDeclarator(Identifier Name, EquatableArray<Expression> Dimensions, SourceSpan Span) : AstNode(Span);

/// <summary>
/// <c>param k = 0.04;</c> (then <see cref="InitialValue"/> is set) or <c>param W[50, 2] ~ glorot;</c>
/// (then <see cref="Initializer"/> is set). Exactly one of the two is non-null.
/// </summary>
public sealed record ParamDeclaration(Identifier Name, EquatableArray<Expression> Dimensions, Expression? InitialValue, InitializerSyntax? Initializer, SourceSpan Span)
    : MemberDeclaration(Span);

/// <summary>The part after '~': <c>glorot</c>, <c>normal(0.0, 0.1)</c>.</summary>
public sealed record InitializerSyntax(Identifier Name, EquatableArray<Expression> Arguments, SourceSpan Span) : AstNode(Span);

/// <summary><c>const mu = 1.0;</c></summary>
public sealed record ConstDeclaration(Identifier Name, Expression Value, SourceSpan Span) : MemberDeclaration(Span);

/// <summary><c>layer l1 = linear(3, 64);</c></summary>
public sealed record LayerDeclaration(Identifier Name, Identifier Kind, EquatableArray<Expression> Arguments, SourceSpan Span) : MemberDeclaration(Span);

/// <summary><c>let h = expr;</c></summary>
public sealed record LetDeclaration(Identifier Name, Expression Value, SourceSpan Span) : MemberDeclaration(Span);

/// <summary><c>dx/dt = expr;</c>. <see cref="State"/> is the <c>x</c> part, with the span of just those letters.</summary>
public sealed record EquationDeclaration(Identifier State, Expression Value, SourceSpan Span) : MemberDeclaration(Span);
