using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Passes;

/// <summary>
/// Drops the nodes no equation depends on, and with them the lets bound to such nodes: an unused
/// <c>let</c> costs nothing at run time.
/// </summary>
public static class DeadLetElimination
{
    public static IrModel Run(IrModel model) => IrGraph.RemoveDeadNodes(model);
}
