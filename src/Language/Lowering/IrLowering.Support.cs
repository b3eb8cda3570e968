using System.Linq;
using OdeDsl.Language.Semantics;

namespace OdeDsl.Language.Lowering;

/// <summary>The check, before lowering, that a model uses only what this version can generate.</summary>
public sealed partial class IrLowering
{
    private static OdeDiagnostic? FindUnsupported(BoundModel model)
    {
        OdeDiagnostic Unsupported(LocationHint where, string construct) =>
            DiagnosticCatalog.NotSupportedYet(model.FilePath, where.Span, model.Name, construct);

        if (model.States.FirstOrDefault(state => !state.Shape.IsScalar) is { } vectorState)
            return Unsupported(vectorState.Location, $"the non-scalar state '{vectorState.Name}' of shape {vectorState.Shape}");
        if (model.Layers.FirstOrDefault() is { } layer)
            return Unsupported(layer.Location, $"the layer '{layer.Name}'");
        if (model.Params.FirstOrDefault(parameter => !parameter.Shape.IsScalar) is { } tensorParam)
            return Unsupported(tensorParam.Location, $"the non-scalar param '{tensorParam.Name}' of shape {tensorParam.Shape}");
        if (model.Params.FirstOrDefault(parameter => parameter.Initializer.Kind is not (InitializerKind.Value or InitializerKind.Constant or InitializerKind.Zeros or InitializerKind.Ones)) is { } randomParam)
            return Unsupported(randomParam.Location, $"the random initialiser '{randomParam.Initializer.Kind.ToString().ToLowerInvariant()}' of param '{randomParam.Name}'");
        if (model.Kind == Ast.ModelKind.Flow)
            return Unsupported(model.Location, "'flow' (the log-density dynamics)");
        foreach (BoundStatement statement in model.Lets.Cast<BoundStatement>().Concat(model.Equations))
        {
            if (FindUnsupported(statement.Value) is (LocationHint where, string construct))
                return Unsupported(where, construct);
        }
        return null;
    }

    private static (LocationHint, string)? FindUnsupported(BoundExpression expression)
    {
        if (!expression.Shape.IsScalar)
            return (expression.Location, $"a value of shape {expression.Shape}");
        switch (expression)
        {
            case BoundLayerApplication:
                return (expression.Location, "a layer application");
            case BoundConcatenation:
                return (expression.Location, "'[a; b]' concatenation");
            case BoundIndex or BoundSlice:
                return (expression.Location, "indexing");
            case BoundBinary { Operator: Ast.BinaryOperator.MatrixMultiply }:
                return (expression.Location, "the matrix product '@'");
            case BoundCall { Function: BuiltinFunction.Sum or BuiltinFunction.Mean or BuiltinFunction.Norm or BuiltinFunction.Dot } call:
                return (expression.Location, $"the reduction '{call.Function.ToString().ToLowerInvariant()}'");
            case BoundNegate negate:
                return FindUnsupported(negate.Operand);
            case BoundBinary binary:
                return FindUnsupported(binary.Left) ?? FindUnsupported(binary.Right);
            case BoundCall call:
                return call.Arguments.Select(FindUnsupported).FirstOrDefault(found => found is not null);
            default:
                return null;
        }
    }
}
