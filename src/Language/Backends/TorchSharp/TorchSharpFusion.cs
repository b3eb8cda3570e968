using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// The TorchSharp target's IR-to-IR rewrite, run on each kernel before printing: where one TorchSharp call does the
/// work of several nodes, the outer node is replaced by a fused node (<see cref="FusedLinear"/>,
/// <see cref="FusedMultiplyAdd"/>, …) reading the inner node's operands. At these sizes each op costs 1.5–3 µs of
/// dispatch and the arithmetic is nearly free, so fewer ops is faster.
/// </summary>
/// <remarks>
/// <para>
/// Every fusion is exact (<c>addcmul</c> rounds as <c>a + b·c</c> does; <c>x.square()</c> is <c>x·x</c>) and only
/// absorbs a node that has no other reader and no name (no statement binds it): a named or shared value is computed
/// once into its own local anyway.
/// </para>
/// <para>
/// The rewrite is in place: node indices do not change, so statements, outputs and annotations still refer to the
/// same values, and the unfused kernel (same indices) can still be quoted in comments. An absorbed node stays in the
/// table with no reader; printers never reach it.
/// </para>
/// </remarks>
internal static class TorchSharpFusion
{
    public static IrKernel Run(IrModel model, IrKernel kernel)
    {
        var facts = new GraphFacts(model, kernel);
        bool[] named = new bool[kernel.Nodes.Count];
        foreach (IrStatement statement in kernel.Statements)
            named[statement.Value.Index] = true;

        // Used once and not named: its user may compute it as part of a fused operation.
        bool Absorbable(IrValue value) => facts.UseCounts[value.Index] == 1 && !named[value.Index] && kernel[value] is not IrInput;

        var nodes = kernel.Nodes.ToArray();
        for (int i = 0; i < nodes.Length; i++)
            nodes[i] = Fuse(model, kernel, kernel.Nodes[i], facts, Absorbable) ?? kernel.Nodes[i];
        return kernel with { Nodes = nodes.ToEquatableArray() };
    }

    private static IrNode? Fuse(IrModel model, IrKernel kernel, IrNode node, GraphFacts facts, System.Func<IrValue, bool> absorbable)
    {
        bool IsHost(IrValue value) => facts.IsHost[value.Index];
        switch (node)
        {
            case IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract } sum:
                return Linear(kernel, sum, absorbable) ?? MultiplyAdd(kernel, sum, IsHost, absorbable);
            case IrBinary { Operator: IrBinaryOperator.Power } power when !IsHost(power.Left) && kernel[power.Right] is IrLiteral { Value: 2.0 }:
                return new FusedSquare(power.Left, power.Type);
            case IrReduceBroadcast reduce:
                return BatchSum(kernel, reduce, IsHost, absorbable);
            case IrConcatenation concatenation when GraphFacts.PackedColumns(model, kernel, concatenation) is (int offset, int width):
                return new PackedStateColumns(offset, width, concatenation.Type);
            default:
                return null;
        }
    }

    /// <summary><c>W @ v + b</c> or <c>b + W @ v</c> (W a matrix, b a vector, neither batched; v batched) as one <c>linear</c>.</summary>
    private static IrNode? Linear(IrKernel kernel, IrBinary sum, System.Func<IrValue, bool> absorbable)
    {
        if (sum.Operator != IrBinaryOperator.Add)
            return null;
        foreach ((IrValue productValue, IrValue bias) in new[] { (sum.Left, sum.Right), (sum.Right, sum.Left) })
        {
            if (kernel[productValue] is IrMatrixProduct product && absorbable(productValue)
                && kernel[product.Left].Type is { Batched: false, Shape.Rank: 2 } && kernel[product.Right].Type is { Batched: true, Shape.Rank: 1 }
                && kernel[bias].Type is { Batched: false, Shape.Rank: 1 })
                return new FusedLinear(product.Right, product.Left, bias, sum.Type);
        }
        return null;
    }

    /// <summary><c>a + b·c</c>, <c>b·c + a</c>, <c>a − b·c</c> as one op, when the product has no other use.</summary>
    private static IrNode? MultiplyAdd(IrKernel kernel, IrBinary sum, System.Func<IrValue, bool> isHost, System.Func<IrValue, bool> absorbable)
    {
        // An indicator factor (a bool tensor) stays in a plain mul: addcmul does not promote it.
        bool Fusible(IrValue value) =>
            kernel[value] is IrBinary { Operator: IrBinaryOperator.Multiply } product
            && absorbable(value) && !(isHost(product.Left) && isHost(product.Right))
            && kernel[product.Left] is not IrComparison && kernel[product.Right] is not IrComparison;

        bool subtract = sum.Operator == IrBinaryOperator.Subtract;
        (IrValue Addend, IrValue Product)? match =
            Fusible(sum.Right) && !isHost(sum.Left) ? (sum.Left, sum.Right)
            : !subtract && Fusible(sum.Left) && !isHost(sum.Right) ? (sum.Right, sum.Left)
            : null;
        if (match is not (IrValue addend, IrValue productValue))
            return null;
        var multiply = (IrBinary)kernel[productValue];
        IrValue b = multiply.Left, c = multiply.Right;
        if (!isHost(b) && !isHost(c))
            return new FusedMultiplyAdd(addend, b, c, subtract, sum.Type);
        (IrValue scale, IrValue tensor) = isHost(b) ? (b, c) : (c, b);
        return new FusedScaledAdd(addend, tensor, scale, subtract, sum.Type);
    }

    /// <summary>Σ_b g vᵀ over two batched vectors as one matrix product; Σ_b u·v over two [B] columns as one <c>dot</c>.</summary>
    private static IrNode? BatchSum(IrKernel kernel, IrReduceBroadcast reduce, System.Func<IrValue, bool> isHost, System.Func<IrValue, bool> absorbable)
    {
        IrValue x = reduce.Operand;
        IrType from = kernel[x].Type, to = reduce.Type;
        if (!from.Batched || to.Batched || !absorbable(x))
            return null;
        bool BatchedTensor(IrValue value) => kernel[value].Type.Batched && !isHost(value);
        if (kernel[x] is IrOuterProduct outer && kernel[outer.Left].Type.Batched && kernel[outer.Right].Type.Batched)
            return new FusedBatchOuterSum(outer.Left, outer.Right, to);
        if (to.Shape.IsScalar && from.Shape.IsScalar && kernel[x] is IrBinary { Operator: IrBinaryOperator.Multiply } product
            && BatchedTensor(product.Left) && BatchedTensor(product.Right) && kernel[product.Left].Type.Shape.IsScalar && kernel[product.Right].Type.Shape.IsScalar)
            return new FusedBatchDot(product.Left, product.Right, to);
        return null;
    }
}
