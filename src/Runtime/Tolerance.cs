using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// A relative or absolute tolerance: one number for every element of the state, or a tensor of per-state values.
/// Converts implicitly from both, so <c>RelTol = 1e-6</c> and <c>AbsTol = tensor(new[] { 1e-9, 1e-3 })</c> both work.
/// A tensor is <c>[D]</c> (one value per state column, shared by the batch) or <c>[B, D]</c> (one per element), or
/// anything else that broadcasts to <c>y0</c> (<c>[1, D]</c>, <c>[B, 1]</c>); it must be positive, finite and on
/// y0's device, and is used in y0's dtype. The error norm divides each element's error by
/// <c>atol + rtol·max(|y0|, |y1|)</c> with these values.
/// </summary>
public readonly struct Tolerance
{
    private Tolerance(double value, Tensor? perState)
    {
        Value = value;
        PerState = perState;
    }

    /// <summary>The tolerance of every element, when <see cref="PerState"/> is null.</summary>
    public double Value { get; }

    /// <summary>The per-state tolerances, or null for one number.</summary>
    public Tensor? PerState { get; }

    /// <summary>One tolerance for every element of the state.</summary>
    public static implicit operator Tolerance(double value) => new(value, null);

    /// <summary>Per-state tolerances (<c>[D]</c> or <c>[B, D]</c>); the tensor is read when the solve starts, not kept.</summary>
    public static implicit operator Tolerance(Tensor perState) => new(double.NaN, perState);

    /// <summary>A tensor of these tolerances in <paramref name="like"/>'s dtype and device (0-dim for one number), owned by the caller.</summary>
    internal Tensor ToTensor(Tensor like)
    {
        if (PerState is null)
            return torch.tensor(Value, like.dtype, like.device);
        using var noGrad = torch.no_grad();
        using Tensor detached = PerState.detach();
        return detached.to(like.dtype, like.device, copy: true);
    }

    /// <summary>The number, or the tensor's shape.</summary>
    public override string ToString() => PerState is null
        ? Value.ToString("G", CultureInfo.InvariantCulture)
        : $"tensor [{string.Join(", ", PerState.shape)}]";
}
