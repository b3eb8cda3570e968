using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>The tensor code of the operations the language has no syntax for (see Ir/IrTensorNodes.cs).</summary>
internal sealed partial class ModelEmission
{
    /// <summary>
    /// The sum over the axes a broadcast added: the batch (<c>sum(new long[] { 0 })</c>, or <c>sum()</c> down to a scalar) or a
    /// sample's elements. Σ_b g vᵀ over two batched vectors is one matrix product, <c>g.t().mm(v)</c> (a layer's
    /// weight gradient); Σ_b u·v over two [B] columns is one <c>dot</c>.
    /// </summary>
    private string ReduceBroadcastCode(IrReduceBroadcast reduce)
    {
        IrValue x = reduce.Operand;
        IrType from = kernel[x].Type, to = reduce.Type;
        if (from.Batched && !to.Batched)
        {
            if (kernel[x] is IrOuterProduct outer && IsInlined(x) && kernel[outer.Left].Type.Batched && kernel[outer.Right].Type.Batched)
                return $"{Operand(outer.Left)}.t().mm({Operand(outer.Right)})";
            if (to.Shape.IsScalar && from.Shape.IsScalar && kernel[x] is IrBinary { Operator: IrBinaryOperator.Multiply } product && IsInlined(x)
                && IsBatchedTensor(product.Left) && IsBatchedTensor(product.Right) && kernel[product.Left].Type.Shape.IsScalar && kernel[product.Right].Type.Shape.IsScalar)
                return $"{Operand(product.Left)}.dot({Operand(product.Right)})";
            // Not sum(0): a literal 0 converts to TorchSharp's ScalarType and would pick sum(dtype).
            return Operand(x) + (to.Shape == from.Shape ? ".sum(new long[] { 0 })" : ".sum()");
        }
        if (from.Batched)
            return Operand(x) + (from.Shape.Rank == 1 ? ".sum(new long[] { 1 })" : ".sum(new long[] { 1, 2 })");
        return Operand(x) + ".sum()";
    }

    private bool IsBatchedTensor(IrValue value) => kernel[value].Type.Batched && !IsHost(value);

    /// <summary>A scalar repeated over a shape: an <c>expand</c> view (of a [B] column for a batched scalar).</summary>
    private string BroadcastCode(IrBroadcast broadcast)
    {
        IrValue x = broadcast.Operand;
        IrType type = broadcast.Type;
        if (!kernel[x].Type.Batched)
            return type.Batched ? $"{Operand(x)}.expand({BatchedShape(type.Shape)})" : $"{Operand(x)}.expand({UnbatchedShape(type.Shape)})";
        string column = type.Shape.Rank == 1 ? Broadcast(x, 1) : Operand(x) + ".unsqueeze(1).unsqueeze(2)";
        return $"{column}.expand({BatchedShape(type.Shape)})";
    }

    private static string UnbatchedShape(IrShape shape) =>
        "new long[] { " + string.Join(", ", System.Linq.Enumerable.Select(shape.Dimensions, CSharpLiterals.Int)) + " }";

    /// <summary>u vᵀ: <c>torch.outer</c> of two unbatched vectors, a broadcast product [·, m, 1]·[·, 1, n] otherwise.</summary>
    private string OuterProductCode(IrOuterProduct outer)
    {
        if (!kernel[outer.Left].Type.Batched && !kernel[outer.Right].Type.Batched)
            return $"{TorchSharpNames.Torch}.outer({Operand(outer.Left)}, {Operand(outer.Right)})";
        return $"{Operand(outer.Left)}.unsqueeze(-1).mul({Operand(outer.Right)}.unsqueeze(-2))";
    }

    /// <summary>An indicator as a bool tensor (<c>x.gt(0)</c>); multiplying a float by it promotes it to 0 and 1.</summary>
    private string ComparisonCode(IrComparison comparison)
    {
        IrValue a = comparison.Left, b = comparison.Right;
        IrComparisonOperator op = comparison.Operator;
        if (IsHost(a))
        {
            // s < x is x > s: the Scalar goes on the right.
            (a, b) = (b, a);
            op = op switch
            {
                IrComparisonOperator.Greater => IrComparisonOperator.Less,
                IrComparisonOperator.GreaterOrEqual => IrComparisonOperator.LessOrEqual,
                IrComparisonOperator.Less => IrComparisonOperator.Greater,
                _ => IrComparisonOperator.GreaterOrEqual,
            };
        }
        string method = op switch
        {
            IrComparisonOperator.Greater => "gt",
            IrComparisonOperator.GreaterOrEqual => "ge",
            IrComparisonOperator.Less => "lt",
            _ => "le",
        };
        int rank = comparison.Type.Shape.Rank;
        return IsHost(b)
            ? $"{Operand(a)}.{method}({ScalarFor(b)})"
            : $"{Broadcast(a, rank)}.{method}({Broadcast(b, rank)})";
    }

    /// <summary>Zeros around the operand along the first per-sample axis: one <c>functional.pad</c> (after an <c>unsqueeze</c> for an index).</summary>
    private string PadCode(IrPad pad)
    {
        IrType target = pad.Type, operand = kernel[pad.Operand].Type;
        int axis = target.Batched ? 1 : 0;
        string x = Operand(pad.Operand);
        int width = 1;
        if (operand.Shape.Rank < target.Shape.Rank)
            x += $".unsqueeze({CSharpLiterals.Int(axis)})";
        else
            width = operand.Shape.Dimensions[0];
        int before = pad.Start, after = target.Shape.Dimensions[0] - pad.Start - width;
        // functional.pad lists (before, after) pairs from the last axis backwards.
        string pairs = target.Shape.Rank == 1
            ? $"{CSharpLiterals.Int(before)}, {CSharpLiterals.Int(after)}"
            : $"0, 0, {CSharpLiterals.Int(before)}, {CSharpLiterals.Int(after)}";
        return $"{TorchSharpNames.Functional}.pad({x}, new long[] {{ {pairs} }})";
    }

    /// <summary><c>torch.where(c, a, b)</c>, or <c>b.masked_fill(c, s)</c> when the value where c holds is a Scalar.</summary>
    private string WhereCode(IrWhere where)
    {
        int rank = where.Type.Shape.Rank;
        if (IsHost(where.WhenTrue))
            return $"{Broadcast(where.WhenFalse, rank)}.masked_fill({Broadcast(where.Condition, rank)}, {ScalarFor(where.WhenTrue)})";
        return $"{TorchSharpNames.Torch}.where({Broadcast(where.Condition, rank)}, {Broadcast(where.WhenTrue, rank)}, {Broadcast(where.WhenFalse, rank)})";
    }
}
