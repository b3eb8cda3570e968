using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// <see cref="SolverOptions.ThrowOnFailure"/> = false: each sample gets a status, and one sample that cannot finish
/// does not lose the others' results — with shared steps, per-sample steps and a fixed-step method.
/// </summary>
public class StatusModeTests
{
    // y' = y²: y(t) = 1 / (1/y0 − t). y0 = 1 blows up at t = 1; 0.5 at t = 2 (after the last output); −1 decays.
    private static readonly double[] Starts = { 1.0, 0.5, -1.0 };
    private static readonly double[] Times = { 0.0, 0.5, 0.9, 1.5 };

    private static double Square(double y0, double t) => 1.0 / (1.0 / y0 - t);

    private static Tensor Column(params double[] values) => tensor(values, new long[] { values.Length, 1 });

    private static OdeSolution SolveSquares(SolverOptions options, params double[] starts) =>
        Ode.Solve((t, y) => y * y, Column(starts), tensor(Times), options);

    /// <summary>Every output of the given samples equals the exact solution to a relative <paramref name="tolerance"/>.</summary>
    private static void MatchesExactSolution(OdeSolution solution, int[] samples, double tolerance, int outputs = -1)
    {
        outputs = outputs < 0 ? Times.Length : outputs;
        foreach (int b in samples)
            for (int i = 0; i < outputs; i++)
            {
                double exact = Square(Starts[b], Times[i]), actual = solution.Ys[i, b, 0].item<double>();
                Assert.True(Math.Abs(actual - exact) <= tolerance * Math.Abs(exact), $"sample {b} at t = {Times[i]}: {actual} vs {exact}");
            }
    }

    [Fact]
    public void SharedStepsFreezeTheDivergingSampleAndFinishTheOthers()
    {
        using var scope = NewDisposeScope();
        var options = new SolverOptions { RelTol = 1e-9, AbsTol = 1e-12, ThrowOnFailure = false };
        var solution = SolveSquares(options, Starts);

        // The blow-up at t = 1 shrinks the shared step until it no longer moves time: a step size underflow, blamed
        // on the sample whose own error failed the step.
        Assert.Equal(new[] { OdeStatus.StepSizeUnderflow, OdeStatus.Success, OdeStatus.Success }, solution.Status);
        Assert.False(solution.Succeeded);
        Assert.InRange(solution.TimeReached[0], 0.99, 1.0);
        Assert.Equal(1.5, solution.TimeReached[1]);
        MatchesExactSolution(solution, new[] { 1, 2 }, 1e-7);
        MatchesExactSolution(solution, new[] { 0 }, 1e-7, outputs: 3);
        Assert.True(double.IsNaN(solution.Ys[3, 0, 0].item<double>()));

        // The survivors match a solve without the diverging sample.
        var alone = SolveSquares(options, Starts[1..]);
        double difference = (solution.Ys[.., 1..] - alone.Ys).abs().max().item<double>();
        Assert.True(difference < 1e-8, $"max difference to the survivors alone {difference:G3}");
    }

    [Fact]
    public void PerSampleStepsStopOnlyTheDivergingSample()
    {
        using var scope = NewDisposeScope();
        var options = new SolverOptions { RelTol = 1e-9, AbsTol = 1e-12, ThrowOnFailure = false, PerSampleSteps = true };
        var solution = SolveSquares(options, Starts);

        Assert.Equal(new[] { OdeStatus.StepSizeUnderflow, OdeStatus.Success, OdeStatus.Success }, solution.Status);
        Assert.InRange(solution.TimeReached[0], 0.99, 1.0);
        MatchesExactSolution(solution, new[] { 1, 2 }, 1e-7);
        MatchesExactSolution(solution, new[] { 0 }, 1e-7, outputs: 3);
        Assert.True(double.IsNaN(solution.Ys[3, 0, 0].item<double>()));

        // Per-sample steps: the survivors' steps are exactly those of a solve without the diverging sample.
        var alone = SolveSquares(options, Starts[1..]);
        Assert.Equal(alone.Stats.PerSample![0], solution.Stats.PerSample![1]);
        Assert.True((solution.Ys[.., 1..] - alone.Ys).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void AFixedStepMethodFreezesTheNonFiniteSampleAtItsLastOutput()
    {
        using var scope = NewDisposeScope();
        // Past t = 1 RK4's y² overflows to infinity, then NaN: found at the output t = 1.5.
        var options = new SolverOptions { Method = OdeMethod.Rk4, StepSize = 0.01, ThrowOnFailure = false };
        var solution = SolveSquares(options, Starts);

        Assert.Equal(new[] { OdeStatus.NonFiniteState, OdeStatus.Success, OdeStatus.Success }, solution.Status);
        Assert.Equal(0.9, solution.TimeReached[0]);
        MatchesExactSolution(solution, new[] { 1, 2 }, 1e-6);
        MatchesExactSolution(solution, new[] { 0 }, 1e-4, outputs: 3);
        Assert.True(double.IsNaN(solution.Ys[3, 0, 0].item<double>()));

        // Fixed steps: the other samples' values are exactly those of a solve without the failed one.
        var alone = SolveSquares(options, Starts[1..]);
        Assert.Equal(0.0, (solution.Ys[.., 1..] - alone.Ys).abs().max().item<double>());
    }

    [Fact]
    public void SharedStepsFreezeASampleWhoseDynamicsTurnNaN()
    {
        using var scope = NewDisposeScope();
        // Sample 0 is marked sick (second column): its derivative is NaN after t = 0.5 at any step size.
        var y0 = tensor(new[] { 1.0, 1.0, 2.0, 0.0, -3.0, 0.0 }, new long[] { 3, 2 });
        var ts = tensor(new[] { 0.0, 0.4, 1.0, 2.0 });
        var options = new SolverOptions { RelTol = 1e-9, AbsTol = 1e-12, ThrowOnFailure = false };
        var solution = Ode.Solve(new SickAfter(0.5), y0, ts, options);

        Assert.Equal(new[] { OdeStatus.NonFiniteState, OdeStatus.Success, OdeStatus.Success }, solution.Status);
        Assert.InRange(solution.TimeReached[0], 0.4, 0.5);
        Assert.Equal(Math.Exp(-0.4), solution.Ys[1, 0, 0].item<double>(), 1e-8);
        Assert.True(double.IsNaN(solution.Ys[2, 0, 0].item<double>()) && double.IsNaN(solution.Ys[3, 0, 1].item<double>()));
        double[] times = { 0.0, 0.4, 1.0, 2.0 };
        for (int i = 0; i < times.Length; i++)
        {
            Assert.Equal(2.0 * Math.Exp(-times[i]), solution.Ys[i, 1, 0].item<double>(), 1e-8);
            Assert.Equal(-3.0 * Math.Exp(-times[i]), solution.Ys[i, 2, 0].item<double>(), 1e-8);
        }

        var alone = Ode.Solve(new SickAfter(0.5), y0[1..], ts, options);
        Assert.True((solution.Ys[.., 1..] - alone.Ys).abs().max().item<double>() < 1e-8);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float32FollowsTheStatesDtype(bool perSample)
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new[] { 1.0f, 1.0f, 2.0f, 0.0f }, new long[] { 2, 2 });
        var solution = Ode.Solve(new SickAfter(0.5), y0, tensor(new[] { 0.0f, 0.4f, 1.0f }),
            new SolverOptions { RelTol = 1e-5, AbsTol = 1e-6, PerSampleSteps = perSample, ThrowOnFailure = false });

        Assert.Equal(ScalarType.Float32, solution.Ys.dtype);
        Assert.Equal(new[] { OdeStatus.NonFiniteState, OdeStatus.Success }, solution.Status);
        Assert.Equal(Math.Exp(-0.4), solution.Ys[1, 0, 0].item<float>(), 1e-4);
        Assert.True(float.IsNaN(solution.Ys[2, 0, 0].item<float>()));
        Assert.Equal(2.0 * Math.Exp(-1.0), solution.Ys[2, 1, 0].item<float>(), 1e-4);
    }

    [Fact]
    public void MaxStepsKeepsTheOutputsReachedAndLeavesTheRestNaN()
    {
        using var scope = NewDisposeScope();
        var ts = linspace(0.0, 10.0, 11, ScalarType.Float64);
        var solution = Ode.Solve(new Systems.Exponential(-1.0), Column(1.0, 2.0), ts,
            new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12, MaxSteps = 40, ThrowOnFailure = false });

        Assert.Equal(new[] { OdeStatus.MaxStepsExceeded, OdeStatus.MaxStepsExceeded }, solution.Status);
        double reached = solution.TimeReached[0];
        Assert.Equal(reached, solution.TimeReached[1]);
        int outputs = (int)Math.Floor(reached) + 1;
        Assert.InRange(outputs, 2, 10);
        for (int i = 0; i < 11; i++)
            for (int b = 0; b < 2; b++)
            {
                double value = solution.Ys[i, b, 0].item<double>();
                if (i < outputs)
                    Assert.Equal((b + 1) * Math.Exp(-i), value, 1e-9);
                else
                    Assert.True(double.IsNaN(value), $"output {i} of sample {b} was never reached but is {value}");
            }
    }

    [Fact]
    public void PerSampleMaxStepsStopsOnlyTheSampleThatNeedsMore()
    {
        using var scope = NewDisposeScope();
        // y' = −k·y with k in the second column: k = 30 needs many more steps to t = 10 than k = 1.
        var y0 = tensor(new[] { 1.0, 1.0, 1.0, 30.0 }, new long[] { 2, 2 });
        var ts = linspace(0.0, 10.0, 11, ScalarType.Float64);
        var solution = Ode.Solve(new RateDecay(), y0, ts,
            new SolverOptions { RelTol = 1e-8, AbsTol = 1e-10, MaxSteps = 150, PerSampleSteps = true, ThrowOnFailure = false });

        Assert.Equal(new[] { OdeStatus.Success, OdeStatus.MaxStepsExceeded }, solution.Status);
        for (int i = 0; i < 11; i++)
            Assert.Equal(Math.Exp(-i), solution.Ys[i, 0, 0].item<double>(), 1e-7);
        Assert.True(solution.TimeReached[1] < 10);
        Assert.True(double.IsNaN(solution.Ys[10, 1, 0].item<double>()));
        for (int i = 0; i <= solution.TimeReached[1]; i++)
            Assert.Equal(Math.Exp(-30.0 * i), solution.Ys[i, 1, 0].item<double>(), 1e-9);
    }

    [Fact]
    public void AFixedStepSolveKeepsTheOutputsThatFitInMaxSteps()
    {
        using var scope = NewDisposeScope();
        var ts = tensor(new[] { 0.0, 0.5, 1.0, 1.5 });
        var solution = Ode.Solve(new Systems.Exponential(-1.0), Column(1.0), ts,
            new SolverOptions { Method = OdeMethod.Rk4, StepSize = 0.1, MaxSteps = 12, ThrowOnFailure = false });

        Assert.Equal(OdeStatus.MaxStepsExceeded, solution.Status[0]);
        Assert.Equal(1.0, solution.TimeReached[0]);
        Assert.Equal(Math.Exp(-1.0), solution.Ys[2, 0, 0].item<double>(), 1e-6);
        Assert.True(double.IsNaN(solution.Ys[3, 0, 0].item<double>()));
        Assert.Equal(10, solution.Stats.AcceptedSteps);
    }

    [Fact]
    public void ASuccessfulSolveReportsSuccessForEverySample()
    {
        using var scope = NewDisposeScope();
        var solution = Ode.Solve(new Systems.Exponential(-1.0), Column(1.0, 2.0), tensor(new[] { 0.0, 1.0 }));
        Assert.True(solution.Succeeded);
        Assert.Equal(new[] { OdeStatus.Success, OdeStatus.Success }, solution.Status);
        Assert.Equal(new[] { 1.0, 1.0 }, solution.TimeReached);
    }

    [Fact]
    public void SolveAdjointReportsTheForwardStatus()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new[] { 1.0, 1.0, 2.0, 0.0 }, new long[] { 2, 2 }).requires_grad_();
        var solution = Ode.SolveAdjoint(new SickAfter(0.5), y0, tensor(new[] { 0.0, 0.4, 1.0 }),
            new SolverOptions { ThrowOnFailure = false });
        Assert.Equal(new[] { OdeStatus.NonFiniteState, OdeStatus.Success }, solution.Status);
        Assert.Equal(2.0 * Math.Exp(-1.0), solution.Ys[2, 1, 0].item<double>(), 1e-6);
    }

    [Theory]
    [InlineData(OdeMethod.Dopri5, false)]
    [InlineData(OdeMethod.Dopri5, true)]
    [InlineData(OdeMethod.Rk4, false)]
    public void FreezingASampleLeavesOnlyTheTrajectory(OdeMethod method, bool perSample)
    {
        var y0 = tensor(new[] { 1.0, 1.0, 2.0, 0.0 }, new long[] { 2, 2 });
        var ts = tensor(new[] { 0.0, 0.4, 1.0 });
        var options = new SolverOptions
        {
            Method = method, StepSize = method == OdeMethod.Rk4 ? 0.1 : null, PerSampleSteps = perSample, ThrowOnFailure = false,
        };
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var solution = Ode.Solve(new SickAfter(0.5), y0, ts, options);
        Assert.Equal(before + 1, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal(new[] { OdeStatus.NonFiniteState, OdeStatus.Success }, solution.Status);
        solution.Dispose();
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    /// <summary>
    /// y' = −y in the first column; the second is a constant flag (0 or 1) that makes the derivative NaN once t passes
    /// the threshold. Row-independent (the flag travels with the sample), for per-sample and shared steps alike.
    /// </summary>
    private sealed class SickAfter : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly double threshold;

        public SickAfter(double threshold) : base(nameof(SickAfter)) => this.threshold = threshold;

        public override Tensor forward(Tensor t, Tensor state)
        {
            Tensor y = state[.., 0..1], sick = state[.., 1..2];
            Tensor derivative = cat(new[] { -y, zeros_like(y) }, 1);
            Tensor broken = (t.reshape(-1, 1) > threshold).logical_and(sick > 0.5);
            return where(broken, full_like(derivative, double.NaN), derivative);
        }
    }

    /// <summary>y' = −k·y with the rate k a constant second column.</summary>
    private sealed class RateDecay : nn.Module<Tensor, Tensor, Tensor>
    {
        public RateDecay() : base(nameof(RateDecay))
        {
        }

        public override Tensor forward(Tensor t, Tensor state)
        {
            Tensor y = state[.., 0..1], rate = state[.., 1..2];
            return cat(new[] { -(rate * y), zeros_like(y) }, 1);
        }
    }
}
