using System;
using System.Linq;
using OdeDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Examples.Spiral;

/// <summary>
/// torchdiffeq's ode_demo data: the spiral dy/dt = (y∘y∘y)·A, A = [[-0.1, 2], [-2, -0.1]], from y0 = (2, 0),
/// observed at 1000 times in [0, 25]; training batches are 20 windows of 10 consecutive observations.
/// </summary>
internal sealed class SpiralData : IDisposable
{
    public const int Size = 1000, BatchSize = 20, BatchTime = 10;

    private readonly Generator random;

    public SpiralData(long seed)
    {
        random = new Generator((ulong)seed);
        Y0 = tensor(new[] { 2.0f, 0.0f }, new long[] { 1, 2 }).DetachFromDisposeScope();
        Times = linspace(0, 25, Size, ScalarType.Float32).DetachFromDisposeScope();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var truth = new TrueSpiral();
        // [T, 1, 2] → [T, 2]
        TrueY = Ode.Solve(truth, Y0, Times, new SolverOptions { Method = OdeMethod.Dopri5 }).Ys.squeeze(1).MoveToOuterDisposeScope();
    }

    public Tensor Y0 { get; }

    public Tensor Times { get; }

    /// <summary>[1000, 2]: the true trajectory.</summary>
    public Tensor TrueY { get; }

    /// <summary>A random batch: initial states [20, 2], times [10], targets [10, 20, 2].</summary>
    public (Tensor Y0, Tensor T, Tensor Y) Batch()
    {
        Tensor starts = randint(0, Size - BatchTime, new long[] { BatchSize }, dtype: ScalarType.Int64, generator: random);
        Tensor y0 = TrueY.index_select(0, starts);
        Tensor targets = stack(Enumerable.Range(0, BatchTime).Select(i => TrueY.index_select(0, starts + i)), 0);
        return (y0, Times[..BatchTime], targets);
    }

    public void Dispose()
    {
        Y0.Dispose();
        Times.Dispose();
        TrueY.Dispose();
        random.Dispose();
    }

    /// <summary>The true dynamics, written by hand.</summary>
    private sealed class TrueSpiral : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Tensor a = tensor(new[] { -0.1f, 2.0f, -2.0f, -0.1f }, new long[] { 2, 2 });

        public TrueSpiral() : base(nameof(TrueSpiral))
        {
        }

        public override Tensor forward(Tensor t, Tensor y) => y.pow(3).matmul(a);
    }
}
