using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>What the emitter needs to know about each node before choosing how to compute it.</summary>
internal sealed class GraphFacts
{
    public GraphFacts(IrModel model)
    {
        UseCounts = IrGraph.UseCounts(model);
        IsHost = new bool[model.Nodes.Count];
        for (int i = 0; i < model.Nodes.Count; i++)
        {
            IrNode node = model.Nodes[i];
            IsHost[i] = node switch
            {
                IrLiteral or IrConstantRead => true,
                IrUnary or IrBinary or IrCall => AllOperandsHost(node),
                _ => false,
            };
        }
    }

    /// <summary>How often each node is read (by nodes and statements).</summary>
    public int[] UseCounts { get; }

    /// <summary>
    /// Nodes computable on the host as a <c>double</c>: literals, constants and arithmetic on them. They never
    /// become tensors; the constructor computes them once and forward() passes them to tensor ops as Scalars.
    /// </summary>
    public bool[] IsHost { get; }

    private bool AllOperandsHost(IrNode node)
    {
        foreach (IrValue operand in node.Operands)
        {
            if (!IsHost[operand.Index])
                return false;
        }
        return true;
    }
}
