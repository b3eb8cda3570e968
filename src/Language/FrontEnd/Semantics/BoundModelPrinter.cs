using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using OdeDsl.Language.Ast;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// A readable dump of a bound model for baselines: symbols with shapes and offsets, then every let
/// and equation with its line, normalised source and the shape of each node of its tree.
/// </summary>
public static class BoundModelPrinter
{
    public static string Print(BoundModel model)
    {
        var text = new StringBuilder();
        text.Append($"{model.Kind} {model.FullName} (D = {Int(model.StateSize)})\n");
        foreach (StateSymbol s in model.States)
            text.Append($"  state {s.Name} {s.Shape} at offset {Int(s.Offset)}\n");
        foreach (ParamSymbol p in model.Params)
            text.Append($"  param {p.Name} {p.Shape} ~ {p.Initializer.Kind}({string.Join(", ", p.Initializer.Arguments.Select(Number))})\n");
        foreach (ConstSymbol c in model.Consts)
            text.Append($"  const {c.Name} = {Number(c.DefaultValue)}\n");
        foreach (LayerSymbol l in model.Layers)
            text.Append($"  layer {l.Name} = linear({Int(l.InFeatures)}, {Int(l.OutFeatures)})\n");
        foreach (BoundLet let in model.Lets)
            Statement(text, let);
        foreach (BoundEquation equation in model.Equations)
            Statement(text, equation);
        return text.ToString();
    }

    private static void Statement(StringBuilder text, BoundStatement statement)
    {
        text.Append($"  line {Int(statement.Line)}: {statement.Source}  -- {statement.Shape}\n");
        Expression(text, 2, statement.Value);
    }

    private static void Expression(StringBuilder text, int depth, BoundExpression node)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        text.Append(' ', depth * 2).Append(Label(node)).Append(' ').Append(node.Shape.ToString()).Append('\n');
        switch (node)
        {
            case BoundNegate n:
                Expression(text, depth + 1, n.Operand);
                break;
            case BoundBinary b:
                Expression(text, depth + 1, b.Left);
                Expression(text, depth + 1, b.Right);
                break;
            case BoundCall c:
                foreach (BoundExpression a in c.Arguments)
                    Expression(text, depth + 1, a);
                break;
            case BoundLayerApplication l:
                Expression(text, depth + 1, l.Input);
                break;
            case BoundConcatenation c:
                foreach (BoundExpression p in c.Parts)
                    Expression(text, depth + 1, p);
                break;
            case BoundIndex i:
                Expression(text, depth + 1, i.Target);
                break;
            case BoundSlice s:
                Expression(text, depth + 1, s.Target);
                break;
        }
    }

    private static string Label(BoundExpression node) => node switch
    {
        BoundNumber n => "number " + Number(n.Value),
        BoundSymbol s => s.Kind.ToString().ToLowerInvariant() + " " + s.Name,
        BoundNegate => "negate",
        BoundBinary b => "binary " + SourceFormatter.Symbol(b.Operator),
        BoundCall c => "call " + c.Function.ToString().ToLowerInvariant(),
        BoundLayerApplication l => "layer " + l.Layer.Name,
        BoundConcatenation => "concatenate",
        BoundIndex i => "index " + Int(i.Index),
        BoundSlice s => $"slice {Int(s.Start)}:{Int(s.End)}",
        _ => node.GetType().Name,
    };

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
