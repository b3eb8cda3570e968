using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Passes;

/// <summary>
/// Rewrites that remove a tensor op without changing a single bit of the result:
/// <c>-(-a) → a</c>, <c>-a + b → b - a</c>, <c>a + -b → a - b</c>, <c>a - -b → a + b</c>.
/// </summary>
/// <remarks>
/// Each holds exactly in IEEE 754 (<c>b + (-a)</c> is by definition <c>b - a</c>), including signed zeros and
/// NaN. Identities that are not exact (<c>a + 0 → a</c> changes <c>-0</c>; reassociation changes rounding) are
/// deliberately absent. A negation that loses its last user disappears with the dead nodes.
/// </remarks>
public static class AlgebraicSimplification
{
    public static IrKernel Run(IrKernel kernel) =>
        IrGraph.Rebuild(kernel, shareEqualNodes: false, (node, graph) => Simplify(node, graph) ?? graph.Add(node));

    private static IrValue? Simplify(IrNode node, IrGraphBuilder graph)
    {
        switch (node)
        {
            case IrUnary { Operator: IrUnaryOperator.Negate } outer when graph[outer.Operand] is IrUnary { Operator: IrUnaryOperator.Negate } inner:
                return inner.Operand;
            case IrBinary { Operator: IrBinaryOperator.Add } add when Negated(graph, add.Left) is IrValue a:
                return graph.Add(add with { Operator = IrBinaryOperator.Subtract, Left = add.Right, Right = a });
            case IrBinary { Operator: IrBinaryOperator.Add } add when Negated(graph, add.Right) is IrValue b:
                return graph.Add(add with { Operator = IrBinaryOperator.Subtract, Right = b });
            case IrBinary { Operator: IrBinaryOperator.Subtract } subtract when Negated(graph, subtract.Right) is IrValue b:
                return graph.Add(subtract with { Operator = IrBinaryOperator.Add, Right = b });
            default:
                return null;
        }
    }

    /// <summary>The operand of a negation (only when the negation's type matches, so broadcasting is unchanged).</summary>
    private static IrValue? Negated(IrGraphBuilder graph, IrValue value) =>
        graph[value] is IrUnary { Operator: IrUnaryOperator.Negate } negation && graph[negation.Operand].Type == negation.Type
            ? negation.Operand
            : null;
}
