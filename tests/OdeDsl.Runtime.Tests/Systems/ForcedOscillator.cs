using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests.Systems;

/// <summary>
/// A damped, forced oscillator x' = v, v' = −k·x − c·v + A·cos(ω·t), with k, c, A trainable 0-dim float64 parameters
/// (ω fixed). It depends on t, so gradients with respect to the times see ∂f/∂t; each row is independent and it
/// takes t as a scalar or as <c>[B]</c> (per-sample stepping), remembering the largest t it was given.
/// </summary>
internal sealed class ForcedOscillator : nn.Module<Tensor, Tensor, Tensor>
{
    private const double Omega = 1.7;

    public ForcedOscillator(double[]? values = null) : base(nameof(ForcedOscillator))
    {
        Parameters = (values ?? new[] { 2.0, 0.3, 0.8 }).Select(v => new Parameter(tensor(v, ScalarType.Float64))).ToArray();
        for (int i = 0; i < Parameters.Length; i++)
            register_parameter($"p{i}", Parameters[i]);
    }

    public Parameter[] Parameters { get; }

    /// <summary>The largest rank of <c>t</c> seen so far (0: scalar, 1: per-sample times).</summary>
    public long LargestTimeRank { get; private set; }

    /// <summary>When set, every call must have <c>t</c> as <c>[B]</c>.</summary>
    public bool RequirePerSampleTimes { get; init; }

    public override Tensor forward(Tensor t, Tensor state)
    {
        if (RequirePerSampleTimes && (t.dim() != 1 || t.shape[0] != state.shape[0]))
            throw new System.InvalidOperationException($"expected t of shape [{state.shape[0]}], got [{string.Join(", ", t.shape)}]");
        LargestTimeRank = System.Math.Max(LargestTimeRank, t.dim());
        Tensor time = t.dim() == 0 ? t : t.unsqueeze(1);
        Tensor x = state[.., 0..1], v = state[.., 1..2];
        Tensor force = Parameters[2] * (time * Omega).cos();
        return cat(new[] { v, -Parameters[0] * x - Parameters[1] * v + force }, 1);
    }
}
