using System;
using System.Collections.Generic;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

// Nodes of the TorchSharp target only: one TorchSharp call doing the work of several IR nodes. TorchSharpFusion puts
// them in place of the outer node; nothing outside this back end sees them, so another back end starts from the
// same optimised kernels without them.

/// <summary><c>W @ v + b</c> (W an unbatched matrix, v a batched vector, b an unbatched vector or absent): one <c>functional.linear(v, W, b)</c>.</summary>
internal sealed record FusedLinear(IrValue Input, IrValue Weight, IrValue? Bias, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => Bias is IrValue bias ? new[] { Input, Weight, bias } : new[] { Input, Weight };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) =>
        this with { Input = operands[0], Weight = operands[1], Bias = operands.Count > 2 ? operands[2] : null };
}

/// <summary><c>Addend ± Left·Right</c> with two tensor factors: one <c>torch.addcmul</c>.</summary>
internal sealed record FusedMultiplyAdd(IrValue Addend, IrValue Left, IrValue Right, bool Subtract, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Addend, Left, Right };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Addend = operands[0], Left = operands[1], Right = operands[2] };
}

/// <summary><c>Addend ± Tensor·Scale</c> with a host scale (literal or constant): one <c>add(tensor, alpha)</c>.</summary>
internal sealed record FusedScaledAdd(IrValue Addend, IrValue Tensor, IrValue Scale, bool Subtract, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Addend, Tensor, Scale };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Addend = operands[0], Tensor = operands[1], Scale = operands[2] };
}

/// <summary><c>x^2</c>: <c>square()</c>.</summary>
internal sealed record FusedSquare(IrValue Operand, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Operand };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Operand = operands[0] };
}

/// <summary>Σ_b u vᵀ over two batched vectors (a layer's weight gradient): one matrix product <c>u.t().mm(v)</c>.</summary>
internal sealed record FusedBatchOuterSum(IrValue Left, IrValue Right, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Left, Right };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Left = operands[0], Right = operands[1] };
}

/// <summary>Σ_b u·v over two batched scalars ([B] columns): one <c>u.dot(v)</c>.</summary>
internal sealed record FusedBatchDot(IrValue Left, IrValue Right, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Left, Right };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Left = operands[0], Right = operands[1] };
}

/// <summary>A concatenation of consecutive state inputs in packing order (<c>[theta; omega]</c>): a view of the packed state's columns.</summary>
internal sealed record PackedStateColumns(int Offset, int Width, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => Array.Empty<IrValue>();

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this;
}
