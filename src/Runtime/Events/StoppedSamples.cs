using TorchSharp;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl.Events;

/// <summary>
/// The user's dynamics with the samples that already had their event frozen: their derivative is zero, so they stay
/// where they are, add nothing to the shared step's error and cannot blow up while the others go on.
/// </summary>
internal sealed class StoppedSamples : nn.Module<Tensor, Tensor, Tensor>, INamedDynamics
{
    private readonly nn.Module<Tensor, Tensor, Tensor> inner;

    public StoppedSamples(nn.Module<Tensor, Tensor, Tensor> inner) : base(nameof(StoppedSamples))
    {
        this.inner = inner;
        DisplayName = Dynamics.NameOf(inner);
    }

    public string DisplayName { get; }

    /// <summary><c>[B, 1]</c>: 1 for samples still running, 0 for frozen ones; null while every sample runs.</summary>
    public Tensor? Running { get; private set; }

    /// <summary>Freezes the samples where <paramref name="fired"/> (<c>[B]</c>, bool) is true.</summary>
    public void Freeze(Tensor fired, ScalarType dtype)
    {
        Running?.Dispose();
        Running = fired.logical_not().to(dtype).unsqueeze(1).DetachFromDisposeScope();
    }

    public override Tensor forward(Tensor t, Tensor y)
    {
        Tensor slope = inner.call(t, y);
        return Running is null ? slope : slope.mul(Running);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Running?.Dispose();
        base.Dispose(disposing);
    }
}
