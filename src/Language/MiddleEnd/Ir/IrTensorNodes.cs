using System;
using System.Collections.Generic;

namespace OdeDsl.Language.Ir;

// Tensor operations the language has no syntax for. Passes write them (differentiation most of all: a broadcast in
// one direction is a sum in the other, an index is a pad), and every backend, derivative rule and printer treats them
// like any other node. Like every node they say what is computed per sample and nothing about a backend.

/// <summary>
/// Sums <see cref="Operand"/> over the axes a broadcast would add: over the samples when <see cref="IrNode.Type"/> is
/// unbatched and the operand is batched, and over every element of a sample when the type is a scalar and the
/// operand is not. It is the transpose of a broadcast: the gradient of a parameter shared by the batch is the batch
/// sum of the per-sample products.
/// </summary>
public sealed record IrReduceBroadcast(IrValue Operand, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Operand };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Operand = operands[0] };
}

/// <summary>A scalar repeated to every element of <see cref="IrNode.Type"/>'s shape, and unbatched values to every sample (the transpose of a sum).</summary>
public sealed record IrBroadcast(IrValue Operand, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Operand };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Operand = operands[0] };
}

/// <summary>The outer product <c>u vᵀ</c> of two vectors (<c>[m]</c>, <c>[n]</c> → <c>[m, n]</c>).</summary>
public sealed record IrOuterProduct(IrValue Left, IrValue Right, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Left, Right };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Left = operands[0], Right = operands[1] };
}

/// <summary>The transpose of a matrix.</summary>
public sealed record IrTranspose(IrValue Operand, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Operand };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Operand = operands[0] };
}

/// <summary>The comparisons of an indicator: <c>[Left op Right]</c>.</summary>
public enum IrComparisonOperator
{
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// <summary>
/// The indicator <c>[Left op Right]</c>: 1 where the comparison holds, 0 elsewhere (scalars broadcast). It is only
/// ever a factor of a product or the condition of a <see cref="IrWhere"/>: it selects where a piecewise function's
/// derivative applies (relu, clamping).
/// </summary>
public sealed record IrComparison(IrComparisonOperator Operator, IrValue Left, IrValue Right, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Left, Right };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Left = operands[0], Right = operands[1] };
}

/// <summary>
/// Zeros of <see cref="IrNode.Type"/> with <see cref="Operand"/> written at <see cref="Start"/> along per-sample axis
/// <see cref="Axis"/>: the reverse of an index (the operand has one axis fewer and fills the single position
/// <see cref="Start"/>; axis 0 only) or of a slice (the operand has the same rank and fills <c>Start</c> onwards). It is
/// the transpose of an index or a slice.
/// </summary>
public sealed record IrPad(IrValue Operand, int Start, IrType Type, int Axis = 0) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Operand };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Operand = operands[0] };
}

/// <summary>
/// <see cref="WhenTrue"/> where the indicator <see cref="Condition"/> is 1, <see cref="WhenFalse"/> elsewhere: the
/// piecewise derivatives that must match the forward's branches exactly (the norm's derivative at zero).
/// </summary>
public sealed record IrWhere(IrValue Condition, IrValue WhenTrue, IrValue WhenFalse, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Condition, WhenTrue, WhenFalse };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) =>
        this with { Condition = operands[0], WhenTrue = operands[1], WhenFalse = operands[2] };
}
