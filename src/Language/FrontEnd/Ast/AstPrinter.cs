using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace OdeDsl.Language.Ast;

/// <summary>
/// An indented dump of the AST with every node's span, for baselines and debugging:
/// <code>
/// Let r1 [10:5-10:22]
///   Binary * [10:14-10:21]
/// </code>
/// </summary>
public static class AstPrinter
{
    public static string Print(OdeFile file)
    {
        var text = new StringBuilder();
        Line(text, 0, "File", file.Span);
        if (file.Namespace is { } ns)
            Line(text, 1, "Namespace " + ns.Name, ns.Span);
        foreach (ModelDeclaration model in file.Models)
        {
            Line(text, 1, $"{model.Kind} {model.Name.Text}", model.Span);
            foreach (MemberDeclaration member in model.Members)
                PrintMember(text, 2, member);
        }
        return text.ToString();
    }

    private static void PrintMember(StringBuilder text, int depth, MemberDeclaration member)
    {
        switch (member)
        {
            case StateDeclaration state:
                Line(text, depth, "State", state.Span);
                foreach (StateDeclarator d in state.Declarators)
                {
                    Line(text, depth + 1, "Declarator " + d.Name.Text, d.Span);
                    PrintAll(text, depth + 2, d.Dimensions);
                }
                break;
            case ParamDeclaration param:
                Line(text, depth, "Param " + param.Name.Text, param.Span);
                PrintAll(text, depth + 1, param.Dimensions);
                if (param.InitialValue is not null)
                    PrintExpression(text, depth + 1, param.InitialValue);
                if (param.Initializer is { } init)
                {
                    Line(text, depth + 1, "Initializer " + init.Name.Text, init.Span);
                    PrintAll(text, depth + 2, init.Arguments);
                }
                break;
            case ConstDeclaration constant:
                Line(text, depth, "Const " + constant.Name.Text, constant.Span);
                PrintExpression(text, depth + 1, constant.Value);
                break;
            case LayerDeclaration layer:
                Line(text, depth, $"Layer {layer.Name.Text} = {layer.Kind.Text}", layer.Span);
                PrintAll(text, depth + 1, layer.Arguments);
                break;
            case LetDeclaration let:
                Line(text, depth, "Let " + let.Name.Text, let.Span);
                PrintExpression(text, depth + 1, let.Value);
                break;
            case EquationDeclaration equation:
                Line(text, depth, $"Equation d{equation.State.Text}/dt (state at {Position(equation.State.Span)})", equation.Span);
                PrintExpression(text, depth + 1, equation.Value);
                break;
        }
    }

    private static void PrintAll(StringBuilder text, int depth, EquatableArray<Expression> expressions)
    {
        foreach (Expression expression in expressions)
            PrintExpression(text, depth, expression);
    }

    private static void PrintExpression(StringBuilder text, int depth, Expression expression)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expression)
        {
            case NumberLiteral n:
                Line(text, depth, "Number " + n.Text + " = " + n.Value.ToString("R", CultureInfo.InvariantCulture), n.Span);
                break;
            case NameReference r:
                Line(text, depth, "Name " + r.Name, r.Span);
                break;
            case NegateExpression neg:
                Line(text, depth, "Negate", neg.Span);
                PrintExpression(text, depth + 1, neg.Operand);
                break;
            case BinaryExpression b:
                Line(text, depth, "Binary " + SourceFormatter.Symbol(b.Operator), b.Span);
                PrintExpression(text, depth + 1, b.Left);
                PrintExpression(text, depth + 1, b.Right);
                break;
            case CallExpression call:
                Line(text, depth, "Call " + call.Callee.Name, call.Span);
                PrintAll(text, depth + 1, call.Arguments);
                break;
            case ConcatenationExpression concat:
                Line(text, depth, "Concatenate", concat.Span);
                PrintAll(text, depth + 1, concat.Parts);
                break;
            case IndexExpression index:
                Line(text, depth, "Index", index.Span);
                PrintExpression(text, depth + 1, index.Target);
                PrintExpression(text, depth + 1, index.Index);
                break;
            case SliceExpression slice:
                Line(text, depth, "Slice", slice.Span);
                PrintExpression(text, depth + 1, slice.Target);
                Line(text, depth + 1, slice.Start is null ? "Start (axis start)" : "Start", slice.Start?.Span ?? slice.Span);
                if (slice.Start is not null)
                    PrintExpression(text, depth + 2, slice.Start);
                Line(text, depth + 1, slice.End is null ? "End (axis end)" : "End", slice.End?.Span ?? slice.Span);
                if (slice.End is not null)
                    PrintExpression(text, depth + 2, slice.End);
                break;
        }
    }

    private static void Line(StringBuilder text, int depth, string label, SourceSpan span) =>
        text.Append(' ', depth * 2).Append(label).Append(" [").Append(Position(span)).Append('-')
            .Append(span.EndLine.ToString(CultureInfo.InvariantCulture)).Append(':')
            .Append(span.EndColumn.ToString(CultureInfo.InvariantCulture)).Append("]\n");

    private static string Position(SourceSpan span) =>
        span.Line.ToString(CultureInfo.InvariantCulture) + ":" + span.Column.ToString(CultureInfo.InvariantCulture);
}
