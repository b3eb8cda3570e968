using System;
using System.Collections.Generic;
using System.Linq;

namespace OdeDsl.Language.Ir;

/// <summary>Whole-graph queries and the rebuild loop that every pass shares.</summary>
public static class IrGraph
{
    /// <summary>How many times each node is read by other nodes and by statements.</summary>
    public static int[] UseCounts(IrModel model)
    {
        var counts = new int[model.Nodes.Count];
        foreach (IrNode node in model.Nodes)
        {
            foreach (IrValue operand in node.Operands)
                counts[operand.Index]++;
        }
        foreach (IrLet let in model.Lets)
            counts[let.Value.Index]++;
        foreach (IrEquation equation in model.Equations)
            counts[equation.Value.Index]++;
        return counts;
    }

    /// <summary>The nodes the equations depend on.</summary>
    public static bool[] Live(IrModel model)
    {
        var live = new bool[model.Nodes.Count];
        foreach (IrEquation equation in model.Equations)
            live[equation.Value.Index] = true;
        // Operands precede their users, so one backward sweep marks everything reachable.
        for (int i = model.Nodes.Count - 1; i >= 0; i--)
        {
            if (!live[i])
                continue;
            foreach (IrValue operand in model.Nodes[i].Operands)
                live[operand.Index] = true;
        }
        return live;
    }

    /// <summary>
    /// Rebuilds the graph node by node in order: each node, with its operands already renumbered, is handed to
    /// <paramref name="rewrite"/>, which adds whatever replaces it to the builder and returns the replacement's
    /// value. Statements follow their nodes. Nodes no equation needs are dropped, and so are lets bound to them.
    /// </summary>
    public static IrModel Rebuild(IrModel model, bool shareEqualNodes, Func<IrNode, IrGraphBuilder, IrValue> rewrite)
    {
        var builder = new IrGraphBuilder(shareEqualNodes);
        var map = new IrValue[model.Nodes.Count];
        for (int i = 0; i < model.Nodes.Count; i++)
        {
            IrNode node = model.Nodes[i];
            IrNode renumbered = node.Operands.Any() ? node.WithOperands(node.Operands.Select(operand => map[operand.Index]).ToArray()) : node;
            map[i] = rewrite(renumbered, builder);
        }
        IrModel rebuilt = model with
        {
            Nodes = builder.ToNodes(),
            Lets = model.Lets.Select(let => let with { Value = map[let.Value.Index] }).ToEquatableArray(),
            Equations = model.Equations.Select(equation => equation with { Value = map[equation.Value.Index] }).ToEquatableArray(),
        };
        return RemoveDeadNodes(rebuilt);
    }

    /// <summary>Drops nodes that no equation reaches, renumbering the rest, and lets whose value is dropped.</summary>
    public static IrModel RemoveDeadNodes(IrModel model)
    {
        bool[] live = Live(model);
        var map = new IrValue[model.Nodes.Count];
        var nodes = new List<IrNode>();
        for (int i = 0; i < model.Nodes.Count; i++)
        {
            if (!live[i])
                continue;
            IrNode node = model.Nodes[i];
            nodes.Add(node.Operands.Any() ? node.WithOperands(node.Operands.Select(operand => map[operand.Index]).ToArray()) : node);
            map[i] = new IrValue(nodes.Count - 1);
        }
        return model with
        {
            Nodes = nodes.ToEquatableArray(),
            Lets = model.Lets.Where(let => live[let.Value.Index]).Select(let => let with { Value = map[let.Value.Index] }).ToEquatableArray(),
            Equations = model.Equations.Select(equation => equation with { Value = map[equation.Value.Index] }).ToEquatableArray(),
        };
    }
}
