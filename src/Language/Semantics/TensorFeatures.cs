using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace OdeDsl.Language.Semantics;

/// <summary>One place where a model goes beyond scalars, for a "not supported yet" diagnostic.</summary>
public sealed record TensorFeatureUse(string Construct, SourceSpan Span);

/// <summary>
/// Finds the vector and matrix constructs in a bound model. The binder checks shapes fully; this
/// lets a later stage that handles only scalar models (the first release of the emitter) refuse
/// the rest with a precise location, without the binder knowing what the back end supports.
/// </summary>
public static class TensorFeatures
{
    /// <summary>Every non-scalar declaration, and the first non-scalar expression of each statement, in source order.</summary>
    public static EquatableArray<TensorFeatureUse> Find(BoundModel model)
    {
        var uses = new List<TensorFeatureUse>();
        foreach (StateSymbol state in model.States.Where(s => !s.Shape.IsScalar))
            uses.Add(new TensorFeatureUse($"{Rank(state.Shape)} state '{state.Name}' of shape {state.Shape}", state.Location.Span));
        foreach (ParamSymbol param in model.Params.Where(p => !p.Shape.IsScalar && p.Layer is null))
            uses.Add(new TensorFeatureUse($"{Rank(param.Shape)} param '{param.Name}' of shape {param.Shape}", param.Location.Span));
        foreach (LayerSymbol layer in model.Layers)
            uses.Add(new TensorFeatureUse($"layer '{layer.Name}'", layer.Location.Span));
        IEnumerable<BoundStatement> statements = model.Lets.Cast<BoundStatement>().Concat(model.Equations);
        foreach (BoundStatement statement in statements)
        {
            if (FirstNonScalar(statement.Value) is { } node)
                uses.Add(new TensorFeatureUse(Describe(node), node.Location.Span));
        }
        return uses.OrderBy(u => u.Span.Start).ToEquatableArray();
    }

    /// <summary>Whether the model uses any vector or matrix construct.</summary>
    public static bool UsesTensorFeatures(this BoundModel model) => Find(model).Count > 0;

    private static BoundExpression? FirstNonScalar(BoundExpression expression)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (!expression.Shape.IsScalar || expression is BoundConcatenation or BoundIndex or BoundSlice or BoundLayerApplication)
            return expression;
        IEnumerable<BoundExpression> children = expression switch
        {
            BoundNegate n => new[] { n.Operand },
            BoundBinary b => new[] { b.Left, b.Right },
            BoundCall c => c.Arguments,
            _ => Enumerable.Empty<BoundExpression>(),
        };
        if (expression is BoundBinary { Operator: Ast.BinaryOperator.MatrixMultiply } || expression is BoundCall { Function: BuiltinFunction.Sum or BuiltinFunction.Mean or BuiltinFunction.Norm or BuiltinFunction.Dot })
            return expression;
        return children.Select(FirstNonScalar).FirstOrDefault(found => found is not null);
    }

    private static string Describe(BoundExpression node) => node switch
    {
        BoundBinary { Operator: Ast.BinaryOperator.MatrixMultiply } => "matrix product '@'",
        BoundConcatenation => "concatenation '[a; b]'",
        BoundIndex => "indexing",
        BoundSlice => "slicing",
        BoundLayerApplication l => $"application of layer '{l.Layer.Name}'",
        BoundCall { Shape.IsScalar: true } c => $"reduction '{c.Function.ToString().ToLowerInvariant()}'",
        BoundCall c => $"'{c.Function.ToString().ToLowerInvariant()}' of a {Rank(c.Shape)} of shape {c.Shape}",
        BoundBinary b => $"elementwise '{Ast.SourceFormatter.Symbol(b.Operator)}' on shape {b.Shape}",
        BoundNegate n => $"negation of shape {n.Shape}",
        BoundSymbol s => $"{Rank(s.Shape)} {s.Kind.ToString().ToLowerInvariant()} '{s.Name}' of shape {s.Shape}",
        _ => $"{Rank(node.Shape)} expression of shape {node.Shape}",
    };

    private static string Rank(Shape shape) => shape.IsVector ? "vector" : "matrix";
}
