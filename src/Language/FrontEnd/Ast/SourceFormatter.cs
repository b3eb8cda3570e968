using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;

namespace OdeDsl.Language.Ast;

/// <summary>
/// Prints AST back as canonical .ode text: one space around binary operators (none around '^'),
/// parentheses only where precedence needs them, numbers as written. Whitespace and comment edits
/// do not change the result, which is why generated code quotes it instead of the raw source line.
/// </summary>
public static class SourceFormatter
{
    public static string Format(Expression expression)
    {
        var text = new StringBuilder();
        Write(text, expression, Precedence.Loosest);
        return text.ToString();
    }

    /// <summary>
    /// A whole file in canonical form: the namespace, then each model with one member per line. Parsing the result
    /// gives the same AST (spans aside), so it round-trips.
    /// </summary>
    public static string Format(OdeFile file)
    {
        var text = new StringBuilder();
        if (file.Namespace is { } ns)
            text.Append("namespace ").Append(ns.Name).Append(";\n");
        foreach (ModelDeclaration model in file.Models)
        {
            text.Append('\n').Append(model.Kind == ModelKind.Flow ? "flow " : "model ").Append(model.Name.Text).Append(" {\n");
            foreach (MemberDeclaration member in model.Members)
                text.Append("    ").Append(Format(member)).Append('\n');
            text.Append("}\n");
        }
        return text.ToString();
    }

    /// <summary>A member as one line, e.g. <c>let h = tanh(W1 @ y^3 + b1);</c>.</summary>
    public static string Format(MemberDeclaration member) => member switch
    {
        StateDeclaration s => "state " + string.Join(", ", s.Declarators.Select(d => d.Name.Text + Dimensions(d.Dimensions))) + ";",
        ParamDeclaration { InitialValue: { } value } p => $"param {p.Name.Text} = {Format(value)};",
        ParamDeclaration p => $"param {p.Name.Text}{Dimensions(p.Dimensions)} ~ {p.Initializer!.Name.Text}{Arguments(p.Initializer.Arguments, always: false)};",
        ConstDeclaration c => $"const {c.Name.Text} = {Format(c.Value)};",
        LayerDeclaration l => $"layer {l.Name.Text} = {l.Kind.Text}{Arguments(l.Arguments, always: true)};",
        LetDeclaration l => $"let {l.Name.Text} = {Format(l.Value)};",
        EquationDeclaration e => $"d{e.State.Text}/dt = {Format(e.Value)};",
        _ => member.GetType().Name,
    };

    /// <summary>Binding strength, tightest last; a child looser than its slot gets parentheses.</summary>
    private enum Precedence
    {
        Loosest,
        Additive,
        Multiplicative,
        Unary,
        Power,
        Postfix,
    }

    private static void Write(StringBuilder text, Expression expression, Precedence slot)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        Precedence own = PrecedenceOf(expression);
        bool parenthesize = own < slot;
        if (parenthesize)
            text.Append('(');
        switch (expression)
        {
            case NumberLiteral n:
                text.Append(n.Text);
                break;
            case NameReference r:
                text.Append(r.Name);
                break;
            case NegateExpression neg:
                text.Append('-');
                Write(text, neg.Operand, Precedence.Unary);
                break;
            case BinaryExpression b:
                // Left-associative operators need parentheses on a right child of equal precedence, '^' on a left one.
                bool rightAssociative = b.Operator == BinaryOperator.Power;
                Write(text, b.Left, rightAssociative ? own + 1 : own);
                text.Append(b.Operator == BinaryOperator.Power ? "^" : " " + Symbol(b.Operator) + " ");
                Write(text, b.Right, rightAssociative ? Precedence.Unary : own + 1);
                break;
            case CallExpression call:
                text.Append(call.Callee.Name).Append('(');
                AppendList(text, call.Arguments, ", ");
                text.Append(')');
                break;
            case ConcatenationExpression concat:
                text.Append('[');
                AppendList(text, concat.Parts, "; ");
                text.Append(']');
                break;
            case IndexExpression index:
                Write(text, index.Target, Precedence.Postfix);
                text.Append('[');
                Write(text, index.Index, Precedence.Loosest);
                text.Append(']');
                break;
            case SliceExpression slice:
                Write(text, slice.Target, Precedence.Postfix);
                text.Append('[');
                if (slice.Start is not null)
                    Write(text, slice.Start, Precedence.Loosest);
                text.Append(':');
                if (slice.End is not null)
                    Write(text, slice.End, Precedence.Loosest);
                text.Append(']');
                break;
        }
        if (parenthesize)
            text.Append(')');
    }

    private static void AppendList(StringBuilder text, EquatableArray<Expression> items, string separator)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
                text.Append(separator);
            Write(text, items[i], Precedence.Loosest);
        }
    }

    private static Precedence PrecedenceOf(Expression expression) => expression switch
    {
        BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract } => Precedence.Additive,
        BinaryExpression { Operator: BinaryOperator.Power } => Precedence.Power,
        BinaryExpression => Precedence.Multiplicative,
        NegateExpression => Precedence.Unary,
        _ => Precedence.Postfix,
    };

    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.MatrixMultiply => "@",
        _ => "^",
    };

    private static string Dimensions(EquatableArray<Expression> dimensions) =>
        dimensions.Count == 0 ? "" : "[" + string.Join(", ", dimensions.Select(Format)) + "]";

    private static string Arguments(EquatableArray<Expression> arguments, bool always) =>
        arguments.Count == 0 && !always ? "" : "(" + string.Join(", ", arguments.Select(Format)) + ")";
}
