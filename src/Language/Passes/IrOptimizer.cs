using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Passes;

/// <summary>The pass pipeline run on every model before emission.</summary>
public static class IrOptimizer
{
    /// <summary>
    /// Folds literals first (so folded values can merge), simplifies negations, shares equal subexpressions, and
    /// finally drops what no equation uses (every rebuild already does; the explicit pass makes the order visible).
    /// </summary>
    public static IrModel Optimize(IrModel model)
    {
        IrModel folded = ConstantFolding.Run(model);
        IrModel simplified = AlgebraicSimplification.Run(folded);
        IrModel shared = CommonSubexpressionElimination.Run(simplified);
        return DeadLetElimination.Run(shared);
    }
}
