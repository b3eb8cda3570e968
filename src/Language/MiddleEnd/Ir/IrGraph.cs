using System;
using System.Collections.Generic;
using System.Linq;

namespace OdeDsl.Language.Ir;

/// <summary>Reachability and the rebuild loop that every pass shares.</summary>
public static class IrGraph
{
    /// <summary>The nodes the outputs depend on.</summary>
    public static bool[] Live(IrKernel kernel) => Reachable(kernel, kernel.Outputs.Select(output => output.Value));

    /// <summary>The nodes <paramref name="roots"/> depend on, the roots included.</summary>
    public static bool[] Reachable(IrKernel kernel, IEnumerable<IrValue> roots)
    {
        var reached = new bool[kernel.Nodes.Count];
        foreach (IrValue root in roots)
            reached[root.Index] = true;
        // Operands precede their users, so one backward sweep marks everything reachable.
        for (int i = kernel.Nodes.Count - 1; i >= 0; i--)
        {
            if (!reached[i])
                continue;
            foreach (IrValue operand in kernel.Nodes[i].Operands)
                reached[operand.Index] = true;
        }
        return reached;
    }

    /// <summary>
    /// Rebuilds the graph node by node in order: each node, with its operands already renumbered, is handed to
    /// <paramref name="rewrite"/>, which adds whatever replaces it to the builder and returns the replacement's
    /// value. Statements and outputs follow their nodes. Nodes no output needs are dropped, and so are the
    /// statements naming them (an unused <c>let</c> costs nothing at run time).
    /// </summary>
    public static IrKernel Rebuild(IrKernel kernel, bool shareEqualNodes, Func<IrNode, IrGraphBuilder, IrValue> rewrite)
    {
        var builder = new IrGraphBuilder(shareEqualNodes);
        var map = new IrValue[kernel.Nodes.Count];
        for (int i = 0; i < kernel.Nodes.Count; i++)
        {
            IrNode node = kernel.Nodes[i];
            IrNode renumbered = node.Operands.Any() ? node.WithOperands(node.Operands.Select(operand => map[operand.Index]).ToArray()) : node;
            map[i] = rewrite(renumbered, builder);
        }
        return RemoveDeadNodes(Renumbered(kernel, builder.ToNodes(), map));
    }

    /// <summary>Drops nodes that no output reaches, renumbering the rest, and the statements naming dropped nodes.</summary>
    private static IrKernel RemoveDeadNodes(IrKernel kernel)
    {
        bool[] live = Live(kernel);
        var map = new IrValue[kernel.Nodes.Count];
        var nodes = new List<IrNode>();
        for (int i = 0; i < kernel.Nodes.Count; i++)
        {
            if (!live[i])
                continue;
            IrNode node = kernel.Nodes[i];
            nodes.Add(node.Operands.Any() ? node.WithOperands(node.Operands.Select(operand => map[operand.Index]).ToArray()) : node);
            map[i] = new IrValue(nodes.Count - 1);
        }
        IrKernel withoutDead = kernel with
        {
            Statements = kernel.Statements.Where(statement => live[statement.Value.Index] && IsLive(statement.Of, live)).ToEquatableArray(),
            Annotations = kernel.Annotations.Where(annotation => live[annotation.Value.Index] && IsLive(annotation.Of, live)).ToEquatableArray(),
        };
        return Renumbered(withoutDead, nodes.ToEquatableArray(), map);
    }

    /// <summary>
    /// The kernel over new <paramref name="nodes"/>, its statements, outputs and annotations moved through
    /// <paramref name="map"/>, including symbols that name a node of the kernel.
    /// </summary>
    private static IrKernel Renumbered(IrKernel kernel, EquatableArray<IrNode> nodes, IrValue[] map) => kernel with
    {
        Nodes = nodes,
        Statements = kernel.Statements.Select(statement => statement with { Value = map[statement.Value.Index], Of = Moved(statement.Of, map) }).ToEquatableArray(),
        Outputs = kernel.Outputs.Select(output => output with { Value = map[output.Value.Index], Of = Moved(output.Of, map) }).ToEquatableArray(),
        Annotations = kernel.Annotations.Select(annotation => annotation with { Value = map[annotation.Value.Index], Of = Moved(annotation.Of, map) }).ToEquatableArray(),
    };

    private static IrSymbol Moved(IrSymbol symbol, IrValue[] map) =>
        symbol.Kind == IrSymbolKind.Node ? IrSymbol.Node(map[symbol.Index].Index) : symbol;

    private static bool IsLive(IrSymbol symbol, bool[] live) => symbol.Kind != IrSymbolKind.Node || live[symbol.Index];
}
