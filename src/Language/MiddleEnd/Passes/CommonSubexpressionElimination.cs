using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Passes;

/// <summary>
/// Merges equal subexpressions into one node by hash-consing: the graph is rebuilt through a builder that returns
/// the existing node for an equal one (operands of <c>+ * min max</c> in either order). A repeated <c>x * y</c> is
/// then computed once, and the emitter gives the shared node a local of its own.
/// </summary>
/// <remarks>
/// Operands are renumbered before each lookup, so sharing propagates bottom-up: once two <c>x * y</c> nodes merge,
/// two <c>(x * y) + z</c> nodes above them merge too. Every node is pure, so merging never changes a value.
/// </remarks>
public static class CommonSubexpressionElimination
{
    public static IrKernel Run(IrKernel kernel) =>
        IrGraph.Rebuild(kernel, shareEqualNodes: true, (node, graph) => graph.Add(node));
}
