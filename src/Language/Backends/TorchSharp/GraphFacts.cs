using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>What the emitter needs to know about each node before choosing how to compute it.</summary>
internal sealed class GraphFacts
{
    public GraphFacts(IrModel model, IrKernel kernel)
    {
        // What a statement or an output reaches: a node a fusion absorbed is not.
        bool[] live = IrGraph.Reachable(kernel, kernel.Statements.Select(statement => statement.Value).Concat(kernel.Outputs.Select(output => output.Value)));
        UseCounts = ReadCounts(kernel, live);
        IsHost = new bool[kernel.Nodes.Count];
        ColumnUses = new int[kernel.Nodes.Count];
        for (int i = 0; i < kernel.Nodes.Count; i++)
        {
            IrNode node = kernel.Nodes[i];
            IsHost[i] = node switch
            {
                IrLiteral or IrConstantRead => true,
                IrCall { Function: IrFunction.Dot } => false,
                IrUnary or IrBinary or IrCall => AllOperandsHost(node),
                _ => false,
            };
            if (!live[i])
                continue;
            foreach (IrValue operand in ColumnOperands(model, kernel, node))
                ColumnUses[operand.Index]++;
        }
    }

    /// <summary>How often each node is read: by live nodes, and once more when a forward statement (let, derivative) names it.</summary>
    /// <remarks>
    /// A running sum's statement is not a read: the Vjp writer decides from the nodes alone whether a sum may update
    /// its local in place. A node a fusion absorbed is not live, so its operands count only their fused reader.
    /// </remarks>
    public int[] UseCounts { get; }

    private static int[] ReadCounts(IrKernel kernel, bool[] live)
    {
        var counts = new int[kernel.Nodes.Count];
        for (int i = 0; i < kernel.Nodes.Count; i++)
        {
            if (!live[i])
                continue;
            foreach (IrValue operand in kernel.Nodes[i].Operands)
                counts[operand.Index]++;
        }
        foreach (IrStatement statement in kernel.Statements)
        {
            if (statement.Role is IrRole.Let or IrRole.Derivative)
                counts[statement.Value.Index]++;
        }
        return counts;
    }

    /// <summary>
    /// Nodes computable on the host as a <c>double</c>: literals, constants and arithmetic on them. They never
    /// become tensors; the constructor computes them once and forward() passes them to tensor ops as Scalars.
    /// </summary>
    public bool[] IsHost { get; }

    /// <summary>How many operations read each batched scalar as a [B, 1] column (broadcast against vectors).</summary>
    public int[] ColumnUses { get; }

    /// <summary>
    /// A concatenation of consecutive states in packing order (<c>[theta; omega]</c>) is a slice of the packed
    /// state: its first column and width, or null.
    /// </summary>
    public static (int Offset, int Width)? PackedColumns(IrModel model, IrKernel kernel, IrConcatenation concatenation)
    {
        if (!concatenation.Parts.All(part => kernel[part] is IrInput { Kind: IrInputKind.State }))
            return null;
        int[] states = concatenation.Parts.Select(part => ((IrInput)kernel[part]).State).ToArray();
        for (int i = 1; i < states.Length; i++)
        {
            if (states[i] != states[i - 1] + 1)
                return null;
        }
        if (states.Any(state => model.States[state].Shape.Rank > 1))
            return null;
        IrState first = model.States[states[0]], last = model.States[states[states.Length - 1]];
        return (first.Offset, last.Offset + last.Shape.ElementCount - first.Offset);
    }

    /// <summary>The batched-scalar operands that <paramref name="node"/> broadcasts against vectors (rank-1 results).</summary>
    private System.Collections.Generic.IEnumerable<IrValue> ColumnOperands(IrModel model, IrKernel kernel, IrNode node)
    {
        bool IsBatchedScalar(IrValue value) => kernel[value].Type is { Batched: true, Shape.IsScalar: true } && !IsHost[value.Index];

        switch (node)
        {
            // A directed result aligns its operands itself (Broadcast): no [B, 1] column serves it.
            case IrBinary or IrCall { Function: IrFunction.Min or IrFunction.Max } or FusedMultiplyAdd or FusedScaledAdd when node.Type.Shape.Rank == 1 && !node.Type.Directed:
                return node.Operands.Where(IsBatchedScalar);
            case IrConcatenation concatenation when concatenation.Type.Batched && !concatenation.Type.Directed && PackedColumns(model, kernel, concatenation) is null
                                                    && !concatenation.Parts.All(IsBatchedScalar):
                return concatenation.Parts.Where(IsBatchedScalar);
            default:
                return Enumerable.Empty<IrValue>();
        }
    }

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
