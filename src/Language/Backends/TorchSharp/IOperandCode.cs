using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// What <see cref="TorchSharpPrinter"/> asks of the method being written: how to spell a node's operands. The
/// printer decides nothing about locals, scalars or layout; the writer decides nothing about which op computes a node.
/// </summary>
internal interface IOperandCode
{
    /// <summary>The C# expression of a tensor node: its local, or its op printed inline.</summary>
    string Operand(IrValue value);

    /// <summary>
    /// The operand as it broadcasts in a result of type <paramref name="result"/>: a batched scalar [B] becomes a
    /// [B, 1] column (or [B, 1, 1]); against a directed result a batched undirected value gains its direction axis
    /// ([B, S] → [B, 1, S]) and a scalar per sample or direction its trailing axes.
    /// </summary>
    string Broadcast(IrValue value, IrType result);

    /// <summary>The cached Scalar holding a host node's value (or minus it).</summary>
    string Scalar(IrValue value, bool negated = false);

    /// <summary>The cached Scalar holding a literal number.</summary>
    string LiteralScalar(double value);

    /// <summary>A parameter's tensor (a field of the model, or a layer's weight or bias).</summary>
    string Parameter(int index);

    /// <summary>The packed state parameter <c>[B, D]</c>: its size, dtype and device shape new tensors.</summary>
    string Packed { get; }
}
