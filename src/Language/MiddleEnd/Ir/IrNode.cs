using System;
using System.Collections.Generic;

namespace OdeDsl.Language.Ir;

/// <summary>A reference to a node of a kernel's graph: its index in <see cref="IrKernel.Nodes"/>.</summary>
public readonly record struct IrValue(int Index)
{
    public override string ToString() => "%" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// One node of a kernel's expression DAG. Operands are <see cref="IrValue"/> references to earlier nodes, so a
/// node table is in topological order and a shared subexpression is one node used twice. Every node carries its
/// <see cref="IrType"/>. Nothing here refers to a backend: a node says what is computed per sample, and the emitter
/// decides how a batch computes it.
/// </summary>
public abstract record IrNode(IrType Type)
{
    /// <summary>The nodes this one reads, in order.</summary>
    public abstract IEnumerable<IrValue> Operands { get; }

    /// <summary>The same node reading other operands (same count and order), for passes that renumber the graph.</summary>
    public abstract IrNode WithOperands(IReadOnlyList<IrValue> operands);
}

/// <summary>A number written in the source (after constant folding, possibly computed from several).</summary>
public sealed record IrLiteral(double Value) : IrNode(IrType.Scalar)
{
    public override IEnumerable<IrValue> Operands => Array.Empty<IrValue>();

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this;

    // Bitwise equality: 0.0 and -0.0 print (and behave under division) differently, and NaN equals itself.
    public bool Equals(IrLiteral? other) =>
        other is not null && BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(other.Value);

    public override int GetHashCode() => BitConverter.DoubleToInt64Bits(Value).GetHashCode();
}

/// <summary>What a kernel input holds.</summary>
public enum IrInputKind
{
    /// <summary>A state's columns of the packed state <c>y</c> (<c>[B, D]</c>).</summary>
    State,
    /// <summary>
    /// The integration time <c>t</c>: a scalar per sample. It is batched because a solver stepping each sample on its
    /// own passes one time per sample; a solver with one step for the batch passes the same time for all.
    /// </summary>
    Time,
    /// <summary>A state's columns of the cotangent <c>a</c> (<c>[B, D]</c>, packed like the state), read by a Vjp kernel.</summary>
    Cotangent,
    /// <summary>A state's columns of the tangent <c>v</c> (<c>[B, D]</c>, packed like the state), read by a Jvp kernel.</summary>
    Tangent,
    /// <summary>
    /// A state's columns of the D×D identity, one row per direction: the tangent of the state along every basis
    /// direction at once, read by a Jacobian kernel. The same for every sample, so unbatched and directed.
    /// </summary>
    Basis,
    /// <summary>The cotangent of a flow's divergence (of its log-density change), one per sample, read by a FlowVjp kernel.</summary>
    TraceCotangent,
}

/// <summary>
/// A value a kernel receives from its caller: the state, the time, a cotangent or a tangent. One node kind
/// for all of them, so a pass that asks "is this an input?" or "which state does it belong to?" asks once.
/// </summary>
/// <param name="Kind">What the input holds.</param>
/// <param name="State">The state whose columns it reads (0 for the time).</param>
/// <param name="Type">Its per-sample shape; batched, except the basis (directed, the same for every sample).</param>
public sealed record IrInput(IrInputKind Kind, int State, IrType Type) : IrNode(Type)
{
    public static IrInput Time { get; } = new(IrInputKind.Time, 0, IrType.BatchedScalar);

    public override IEnumerable<IrValue> Operands => Array.Empty<IrValue>();

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this;
}

/// <summary>A trainable parameter (index into <see cref="IrModel.Parameters"/>); unbatched.</summary>
public sealed record IrParameterRead(int Parameter, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => Array.Empty<IrValue>();

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this;
}

/// <summary>
/// A constant (index into <see cref="IrModel.Constants"/>): fixed while the model runs but chosen when it is
/// constructed, so its value is unknown here and it is never folded.
/// </summary>
public sealed record IrConstantRead(int Constant) : IrNode(IrType.Scalar)
{
    public override IEnumerable<IrValue> Operands => Array.Empty<IrValue>();

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this;
}

/// <summary>An elementwise unary operation.</summary>
public sealed record IrUnary(IrUnaryOperator Operator, IrValue Operand, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Operand };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Operand = operands[0] };
}

/// <summary>An elementwise binary operation; scalars broadcast against vectors.</summary>
public sealed record IrBinary(IrBinaryOperator Operator, IrValue Left, IrValue Right, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Left, Right };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Left = operands[0], Right = operands[1] };
}

/// <summary>A call of a built-in function: elementwise (<c>exp</c>, <c>min</c>, …) or a reduction (<c>sum</c>, <c>dot</c>, …).</summary>
public sealed record IrCall(IrFunction Function, EquatableArray<IrValue> Arguments, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => Arguments;

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Arguments = operands.ToEquatableArray() };
}

/// <summary>
/// <c>Left @ Right</c> for ranks 1 and 2, as in numpy: (m, n)@(n) → (m), (m, n)@(n, p) → (m, p), (n)@(n, p) → (p),
/// (n)@(n) → (). A layer application <c>l(v)</c> is <c>l.W @ v + l.b</c>.
/// </summary>
public sealed record IrMatrixProduct(IrValue Left, IrValue Right, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Left, Right };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Left = operands[0], Right = operands[1] };
}

/// <summary><c>[a; b; …]</c>: scalars and vectors joined into one vector, in order.</summary>
public sealed record IrConcatenation(EquatableArray<IrValue> Parts, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => Parts;

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Parts = operands.ToEquatableArray() };
}

/// <summary><c>Target[Index]</c> along the first per-sample axis (an element of a vector, a row of a matrix).</summary>
public sealed record IrIndex(IrValue Target, int Index, IrType Type) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Target };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Target = operands[0] };
}

/// <summary>
/// <c>Target[Start:End]</c> along per-sample axis <see cref="Axis"/>, <c>End</c> exclusive: 0 for a vector's elements
/// or a matrix's rows (the language's slices), 1 for a matrix's columns (a layer's weight columns, as derivatives
/// take them).
/// </summary>
public sealed record IrSlice(IrValue Target, int Start, int End, IrType Type, int Axis = 0) : IrNode(Type)
{
    public override IEnumerable<IrValue> Operands => new[] { Target };

    public override IrNode WithOperands(IReadOnlyList<IrValue> operands) => this with { Target = operands[0] };
}
