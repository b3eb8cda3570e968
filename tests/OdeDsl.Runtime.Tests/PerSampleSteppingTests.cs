using System;
using System.Linq;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Per-sample stepping (torchode's semantics): each sample of the batch gets exactly the steps, statistics and
/// results it would get if it were solved alone.
/// </summary>
public class PerSampleSteppingTests
{
    private static readonly double[][] Starts =
    {
        new[] { 1.0, 1.0, 1.0 }, new[] { -8.0, 7.0, 27.0 }, new[] { 0.1, -0.2, 15.0 }, new[] { 12.0, 12.0, 30.0 },
    };

    [Fact]
    public void EachSampleGetsTheStepsAndValuesOfASoloSolve()
    {
        using var scope = NewDisposeScope();
        var ts = linspace(0.0, 2.0, 21, ScalarType.Float64);
        var options = new SolverOptions { RelTol = 1e-8, AbsTol = 1e-10 };
        var batch = tensor(Starts.SelectMany(s => s).ToArray(), new long[] { Starts.Length, 3 });

        var together = Ode.Solve(new Lorenz(), batch, ts, options with { PerSampleSteps = true });

        Assert.NotNull(together.Stats.PerSample);
        for (int b = 0; b < Starts.Length; b++)
        {
            var alone = Ode.Solve(new Lorenz(), tensor(Starts[b], new long[] { 1, 3 }), ts, options);
            SolverStats mine = together.Stats.PerSample![b];
            Assert.Equal(alone.Stats.AcceptedSteps, mine.AcceptedSteps);
            Assert.Equal(alone.Stats.RejectedSteps, mine.RejectedSteps);
            Assert.Equal(alone.Stats.FunctionEvaluations, mine.FunctionEvaluations);
            double difference = (together.Ys[.., b] - alone.Ys[.., 0]).abs().max().item<double>();
            Assert.True(difference < 1e-9, $"sample {b}: max difference {difference:G3}");
        }
        Assert.Equal(together.Stats.PerSample!.Sum(s => s.AcceptedSteps), together.Stats.AcceptedSteps);
    }

    [Fact]
    public void ATolerancePerSampleFollowsItsSampleAsTheBatchShrinks()
    {
        using var scope = NewDisposeScope();
        var ts = linspace(0.0, 2.0, 11, ScalarType.Float64);
        double[] rtol = { 1e-4, 1e-9, 1e-6, 1e-11 };
        var batch = tensor(Starts.SelectMany(s => s).ToArray(), new long[] { Starts.Length, 3 });
        var perElement = tensor(rtol.SelectMany(r => new[] { r, r, r }).ToArray(), new long[] { Starts.Length, 3 });

        var together = Ode.Solve(new Lorenz(), batch, ts, new SolverOptions { RelTol = perElement, AbsTol = 1e-10, PerSampleSteps = true });

        for (int b = 0; b < Starts.Length; b++)
        {
            var alone = Ode.Solve(new Lorenz(), tensor(Starts[b], new long[] { 1, 3 }), ts, new SolverOptions { RelTol = rtol[b], AbsTol = 1e-10 });
            Assert.Equal(alone.Stats.AttemptedSteps, together.Stats.PerSample![b].AttemptedSteps);
            Assert.True((together.Ys[.., b] - alone.Ys[.., 0]).abs().max().item<double>() < 1e-9);
        }
    }

    [Fact]
    public void AFastSampleNoLongerSlowsTheOthersAndFinishedSamplesStopCosting()
    {
        using var scope = NewDisposeScope();
        // y' = λ_b y with λ = (-0.1, -50): the second sample needs many more steps.
        using var model = new RateInState();
        var ts = tensor(new[] { 0.0, 1.0, 2.0 });
        var y0 = WithRates(1.0, -0.1, -50.0);
        var options = new SolverOptions { RelTol = 1e-6, AbsTol = 1e-9 };

        var shared = Ode.Solve(model, y0, ts, options);
        var perSample = Ode.Solve(model, y0, ts, options with { PerSampleSteps = true });

        SolverStats slow = perSample.Stats.PerSample![0], fast = perSample.Stats.PerSample![1];
        Assert.True(slow.AttemptedSteps * 3 < fast.AttemptedSteps, $"{slow} vs {fast}");
        Assert.True(slow.AttemptedSteps * 3 < shared.Stats.AttemptedSteps, $"{slow} vs shared {shared.Stats}");
        // Once the slow sample is done it leaves the batch: it took part in far fewer evaluations than were made.
        Assert.True(slow.FunctionEvaluations * 3 < perSample.Stats.FunctionEvaluations);
        Assert.Equal(fast.FunctionEvaluations, perSample.Stats.FunctionEvaluations);
        var exact = tensor(new[] { Math.Exp(-0.1), Math.Exp(-50.0), Math.Exp(-0.2), Math.Exp(-100.0) }, new long[] { 2, 2 });
        Assert.True((perSample.Ys[1.., .., 0] - exact).abs().max().item<double>() < 1e-6);
    }

    [Fact]
    public void TheDynamicsReceiveOneTimePerSample()
    {
        using var scope = NewDisposeScope();
        // y' = cos(t)·y per sample: exact e^(sin t); the module checks that t is [B].
        var solution = Ode.Solve(new CosineGrowthPerSample(), ones(3, 1, ScalarType.Float64), tensor(new[] { 0.0, 1.5, 3.0 }),
            new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12, PerSampleSteps = true });
        Assert.Equal(Math.Exp(Math.Sin(3.0)), solution.Ys[2, 1, 0].item<double>(), 1e-8);
    }

    [Fact]
    public void ReverseTimeWorksPerSample()
    {
        using var scope = NewDisposeScope();
        using var model = new RateInState();
        var solution = Ode.Solve(model, WithRates(1.0, -1.0, 2.0), tensor(new[] { 1.0, 0.0 }),
            new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12, PerSampleSteps = true });
        Assert.Equal(Math.Exp(1.0), solution.Ys[1, 0, 0].item<double>(), 1e-8);
        Assert.Equal(Math.Exp(-2.0), solution.Ys[1, 1, 0].item<double>(), 1e-8);
    }

    [Fact]
    public void GradientsFlowThroughPerSampleSteps()
    {
        using var scope = NewDisposeScope();
        using var model = new RateInState();
        var y0 = WithRates(1.3, -0.7, 0.3).requires_grad_();
        var solution = Ode.Solve(model, y0, tensor(new[] { 0.0, 1.0, 2.0 }),
            new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12, PerSampleSteps = true });
        solution.Ys[-1, .., 0].sum().backward();
        // y(2) = y0·e^(2λ): ∂/∂y0 = e^(2λ), ∂/∂λ = 2·y0·e^(2λ).
        double[] grad = y0.grad!.data<double>().ToArray();
        Assert.Equal(Math.Exp(-1.4), grad[0], 1e-8);
        Assert.Equal(2.0 * 1.3 * Math.Exp(-1.4), grad[1], 1e-7);
        Assert.Equal(Math.Exp(0.6), grad[2], 1e-8);
        Assert.Equal(2.0 * 1.3 * Math.Exp(0.6), grad[3], 1e-7);
    }

    [Fact]
    public void AFailingSampleIsNamed()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve(new VanDerPol(1000), tensor(new[] { 2.0, 0.0, 2.0, 0.0 }, new long[] { 2, 2 }),
            tensor(new[] { 0.0, 3000.0 }), new SolverOptions { RelTol = 1e-6, AbsTol = 1e-6, MaxSteps = 500, PerSampleSteps = true }));
        Assert.Equal(OdeFailure.MaxStepsExceeded, e.Failure);
        Assert.Contains("Sample 0:", e.Message);
        Assert.Equal(501, e.Step);
    }

    [Fact]
    public void APerSampleSolveLeavesOnlyTheTrajectory()
    {
        var y0 = tensor(Starts.SelectMany(s => s).ToArray(), new long[] { Starts.Length, 3 });
        var ts = linspace(0.0, 3.0, 31, ScalarType.Float64);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var solution = Ode.Solve(new Lorenz(), y0, ts, new SolverOptions { PerSampleSteps = true });
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        solution.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    /// <summary>
    /// y' = λ·y with the rate carried as a second, constant state column (λ' = 0), so that each row is independent:
    /// with per-sample stepping finished samples leave the batch, so dynamics must not depend on row positions.
    /// </summary>
    private sealed class RateInState : nn.Module<Tensor, Tensor, Tensor>
    {
        public RateInState() : base(nameof(RateInState))
        {
        }

        public override Tensor forward(Tensor t, Tensor state)
        {
            Tensor y = state[.., 0..1], rate = state[.., 1..2];
            return cat(new[] { rate * y, zeros_like(rate) }, 1);
        }
    }

    /// <summary>Rows (y0, λ) for the given rates.</summary>
    private static Tensor WithRates(double y0, params double[] rates) =>
        tensor(rates.SelectMany(r => new[] { y0, r }).ToArray(), new long[] { rates.Length, 2 });

    private sealed class CosineGrowthPerSample : nn.Module<Tensor, Tensor, Tensor>
    {
        public CosineGrowthPerSample() : base(nameof(CosineGrowthPerSample))
        {
        }

        public override Tensor forward(Tensor t, Tensor y)
        {
            Assert.Equal(new[] { y.shape[0] }, t.shape);
            return y * t.cos().unsqueeze(1);
        }
    }
}
