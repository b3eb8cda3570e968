using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Passes;

/// <summary>The pass pipeline run on a model's forward kernel before any kernel is derived from it.</summary>
public static class IrOptimizer
{
    /// <summary>
    /// Folds literals first (so folded values can merge), simplifies negations, then shares equal subexpressions.
    /// Every pass rebuilds the graph, which drops what no output uses: a dead <c>let</c> loses its statement.
    /// </summary>
    public static IrModel Optimize(IrModel model)
    {
        IrKernel folded = ConstantFolding.Run(model.Forward);
        IrKernel simplified = AlgebraicSimplification.Run(folded);
        return model.WithKernel(CommonSubexpressionElimination.Run(simplified));
    }
}
