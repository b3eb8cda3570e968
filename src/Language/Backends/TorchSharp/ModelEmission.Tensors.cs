using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>Matrix products, reductions and concatenation on the batch.</summary>
/// <remarks>
/// <para>
/// <c>W @ v</c> with a parameter matrix and a batched vector is one <c>torch.nn.functional.linear(v, W)</c>
/// (<c>v Wᵀ</c> for all samples in one matrix product), and <c>W @ v + b</c> folds the bias into the same call, so a
/// layer costs one op.
/// </para>
/// <para>
/// <c>l([h; t])</c> is emitted as <c>cat</c> and one <c>linear</c>, not with the weight split into
/// <c>h W_hᵀ + t·W_t + b</c>. Measured with TorchSharp 0.107 on CPU (float32, one thread, linear(65, 64)):
/// forward only, cat + linear took 4.6 / 11.4 / 27.4 / 94.8 µs at B = 1 / 64 / 256 / 1024 against 5.6 / 13.8 / 38.1
/// / 140.1 µs for the split (which needs <c>narrow</c>, <c>select</c> and <c>addcmul</c> on W every call); with
/// backward, 23.0 / 38.0 / 82.8 / 239.6 µs against 40.5 / 57.6 / 109.8 / 311.5 µs. Even with a time shared by the
/// batch (so <c>t·W_t</c> stays one row) the split only ties the forward and loses with backward. Copying the
/// <c>[B, n + 1]</c> input is cheaper than the extra ops.
/// </para>
/// </remarks>
internal sealed partial class ModelEmission
{
    /// <summary><c>W @ v + b</c> or <c>b + W @ v</c> (W a matrix, b a vector, neither batched; v batched) as one <c>linear</c>.</summary>
    private string? TryLinear(IrBinary binary)
    {
        if (binary.Operator != IrBinaryOperator.Add)
            return null;
        foreach ((IrValue productValue, IrValue bias) in new[] { (binary.Left, binary.Right), (binary.Right, binary.Left) })
        {
            if (kernel[productValue] is IrMatrixProduct product && IsInlined(productValue) && IsWeightTimesBatch(product)
                && kernel[bias].Type is { Batched: false, Shape.Rank: 1 })
                return $"{TorchSharpNames.Functional}.linear({Operand(product.Right)}, {Operand(product.Left)}, {Operand(bias)})";
        }
        return null;
    }

    private bool IsWeightTimesBatch(IrMatrixProduct product) =>
        kernel[product.Left].Type is { Batched: false, Shape.Rank: 2 } && kernel[product.Right].Type is { Batched: true, Shape.Rank: 1 };

    /// <summary><c>a @ b</c> for every combination of ranks (1, 2) and batching.</summary>
    private string MatrixProductCode(IrValue left, IrValue right)
    {
        IrType a = kernel[left].Type, b = kernel[right].Type;
        string l = Operand(left), r = Operand(right);
        return (a.Shape.Rank, b.Shape.Rank) switch
        {
            (1, 1) => DotCode(left, right),
            // [B, n] · Wᵀ: the samples' rows against the weight matrix, one matrix product for the batch.
            (2, 1) when !a.Batched && b.Batched => $"{TorchSharpNames.Functional}.linear({r}, {l})",
            (2, 1) when a.Batched && b.Batched => $"{l}.matmul({r}.unsqueeze(2)).squeeze(2)",
            (1, 2) when a.Batched && b.Batched => $"{l}.unsqueeze(1).matmul({r}).squeeze(1)",
            // [B, m, n] @ [n], [B, n] @ [n, p], [n] @ [B, n, p] and every matrix·matrix broadcast as they are.
            _ => $"{l}.matmul({r})",
        };
    }

    /// <summary>The inner product per sample: <c>vecdot</c> of two batches, a matrix·vector product with one.</summary>
    private string DotCode(IrValue left, IrValue right)
    {
        bool a = kernel[left].Type.Batched, b = kernel[right].Type.Batched;
        if (a && b)
            return $"{TorchSharpNames.Linalg}.vecdot({Operand(left)}, {Operand(right)})";
        if (a)
            return $"{Operand(left)}.matmul({Operand(right)})";
        if (b)
            return $"{Operand(right)}.matmul({Operand(left)})";
        return $"{Operand(left)}.dot({Operand(right)})";
    }

    /// <summary><c>sum mean norm dot</c> over a sample's elements: axes 1 (and 2) of a batch, everything otherwise.</summary>
    private string ReductionCode(IrCall call)
    {
        if (call.Function == IrFunction.Dot)
            return DotCode(call.Arguments[0], call.Arguments[1]);
        IrValue argument = call.Arguments[0];
        IrType type = kernel[argument].Type;
        string x = Operand(argument);
        if (type.Shape.IsScalar)
            return call.Function == IrFunction.Norm ? x + ".abs()" : x;
        if (!type.Batched)
            return x + "." + (call.Function == IrFunction.Norm ? "norm" : call.Function == IrFunction.Sum ? "sum" : "mean") + "()";
        string axes = type.Shape.Rank == 1 ? "new long[] { 1 }" : "new long[] { 1, 2 }";
        return call.Function switch
        {
            IrFunction.Sum => $"{x}.sum({axes})",
            IrFunction.Mean => $"{x}.mean({axes})",
            _ => type.Shape.Rank == 1 ? $"{x}.norm(dim: 1)" : $"{x}.flatten(1).norm(dim: 1)",
        };
    }

    /// <summary><c>[a; b; …]</c>: one cat (or stack) on the feature axis; parts are made [B, k] (or [k]) first.</summary>
    private string ConcatenationCode(IrConcatenation concatenation)
    {
        if (GraphFacts.PackedColumns(model, kernel, concatenation) is (int offset, int width))
            return width == model.StateSize ? stateParameter : $"{stateParameter}.narrow(1, {CSharpLiterals.Int(offset)}, {CSharpLiterals.Int(width)})";
        bool batched = concatenation.Type.Batched;
        bool allScalars = concatenation.Parts.All(part => kernel[part].Type.Shape.IsScalar && !IsHost(part) && kernel[part].Type.Batched == batched);
        if (allScalars)
            return $"{TorchSharpNames.Torch}.stack(new[] {{ {string.Join(", ", concatenation.Parts.Select(Operand))} }}, {(batched ? "1" : "0")})";
        string parts = string.Join(", ", concatenation.Parts.Select(part => batched ? BatchedPart(part) : UnbatchedPart(part)));
        return $"{TorchSharpNames.Torch}.cat(new[] {{ {parts} }}, {(batched ? "1" : "0")})";
    }

    /// <summary>A part of a batched concatenation as [B, k].</summary>
    private string BatchedPart(IrValue part)
    {
        IrType type = kernel[part].Type;
        if (IsHost(part))
            return $"{TorchSharpNames.Torch}.full(new long[] {{ {Batch}, 1 }}, {ScalarFor(part)}, dtype: {stateParameter}.dtype, device: {stateParameter}.device)";
        if (type.Batched)
            return Broadcast(part, 1);
        return $"{Operand(part)}.expand({Batch}, {CSharpLiterals.Int(type.Shape.ElementCount)})";
    }

    /// <summary>A part of an unbatched concatenation as [k].</summary>
    private string UnbatchedPart(IrValue part)
    {
        if (IsHost(part))
            return $"{TorchSharpNames.Torch}.full(new long[] {{ 1 }}, {ScalarFor(part)}, dtype: {stateParameter}.dtype, device: {stateParameter}.device)";
        return kernel[part].Type.Shape.IsScalar ? Operand(part) + ".unsqueeze(0)" : Operand(part);
    }
}
