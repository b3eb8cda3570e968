using System;
using TorchSharp;
using OdeDsl.Runtime.Tests.Systems;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// The default (<see cref="SolverOptions.ThrowOnFailure"/> = true) still throws, and the exception carries what the
/// solve had computed: the outputs reached, NaN after, each sample's status and time reached.
/// </summary>
public class PartialSolutionTests
{
    [Fact]
    public void ADivergingSampleThrowsWithTheOthersResults()
    {
        using var scope = NewDisposeScope();
        // y' = y²: y(t) = 1 / (1/y0 − t); y0 = 1 blows up at t = 1, y0 = −1 decays.
        double[] times = { 0.0, 0.5, 0.9, 1.5 };
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve((t, y) => y * y,
            tensor(new[] { 1.0, -1.0 }, new long[] { 2, 1 }), tensor(times), new SolverOptions { RelTol = 1e-9, AbsTol = 1e-12 }));

        Assert.Equal(OdeFailure.StepSizeUnderflow, e.Failure);
        Assert.InRange(e.Time, 0.99, 1.0);
        OdeSolution partial = e.Partial!;
        Assert.Equal(new[] { OdeStatus.StepSizeUnderflow, OdeStatus.Success }, partial.Status);
        Assert.Equal(e.Time, partial.TimeReached[0]);
        for (int i = 0; i < times.Length; i++)
        {
            Assert.Equal(1.0 / (-1.0 - times[i]), partial.Ys[i, 1, 0].item<double>(), 1e-8);
            double diverging = partial.Ys[i, 0, 0].item<double>();
            if (i < 3)
                Assert.Equal(1.0 / (1.0 - times[i]), diverging, 1e-6);
            else
                Assert.True(double.IsNaN(diverging));
        }
    }

    [Fact]
    public void MaxStepsThrowsWithTheOutputsReached()
    {
        using var scope = NewDisposeScope();
        var ts = linspace(0.0, 10.0, 11, ScalarType.Float64);
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve(new Exponential(-1.0), ones(1, 1, ScalarType.Float64), ts,
            new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12, MaxSteps = 40 }));

        Assert.Equal(OdeFailure.MaxStepsExceeded, e.Failure);
        Assert.Equal(41, e.Step);
        OdeSolution partial = e.Partial!;
        Assert.Equal(OdeStatus.MaxStepsExceeded, partial.Status[0]);
        Assert.False(partial.Succeeded);
        Assert.Equal(e.Time, partial.TimeReached[0]);
        int reached = (int)Math.Floor(e.Time) + 1;
        Assert.InRange(reached, 2, 10);
        for (int i = 0; i < reached; i++)
            Assert.Equal(Math.Exp(-i), partial.Ys[i, 0, 0].item<double>(), 1e-9);
        for (int i = reached; i < 11; i++)
            Assert.True(double.IsNaN(partial.Ys[i, 0, 0].item<double>()));
    }

    [Fact]
    public void PerSampleStepsThrowTheFirstFailureWithTheOthersResults()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve((t, y) => y * y, tensor(new[] { 1.0, -1.0 }, new long[] { 2, 1 }),
            tensor(new[] { 0.0, 2.0 }), new SolverOptions { PerSampleSteps = true }));

        Assert.Contains("Sample 0:", e.Message);
        Assert.Equal(new[] { OdeStatus.StepSizeUnderflow, OdeStatus.Success }, e.Partial!.Status);
        Assert.Equal(1.0 / -3.0, e.Partial.Ys[1, 1, 0].item<double>(), 1e-6);
        Assert.True(double.IsNaN(e.Partial.Ys[1, 0, 0].item<double>()));
    }

    [Fact]
    public void AFixedStepSolveThrowsWithTheOutputsBeforeTheNaN()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve(new BlowsUpAfter(0.5), ones(1, 2, ScalarType.Float64),
            tensor(new[] { 0.0, 0.25, 0.75, 1.0 }), new SolverOptions { Method = OdeMethod.Rk4, StepSize = 0.05 }));

        Assert.Equal(0.75, e.Time);
        OdeSolution partial = e.Partial!;
        Assert.Equal(OdeStatus.NonFiniteState, partial.Status[0]);
        Assert.Equal(0.25, partial.TimeReached[0]);
        Assert.Equal(Math.Exp(-0.25), partial.Ys[1, 0, 1].item<double>(), 1e-7);
        Assert.True(double.IsNaN(partial.Ys[2, 0, 0].item<double>()) && double.IsNaN(partial.Ys[3, 0, 1].item<double>()));
    }

    [Fact]
    public void AFixedStepGridOverMaxStepsThrowsBeforeAnyStep()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve(new Exponential(-1.0), ones(1, 1, ScalarType.Float64),
            tensor(new[] { 0.0, 1.0 }), new SolverOptions { Method = OdeMethod.Euler, StepSize = 0.01, MaxSteps = 10 }));

        Assert.Equal(OdeFailure.MaxStepsExceeded, e.Failure);
        Assert.Equal(0.0, e.Time);
        Assert.Equal(0, e.Partial!.Stats.FunctionEvaluations);
        Assert.Equal(1.0, e.Partial.Ys[0, 0, 0].item<double>());
        Assert.True(double.IsNaN(e.Partial.Ys[1, 0, 0].item<double>()));
    }

    [Fact]
    public void ThePartialSolutionOutlivesTheSolve()
    {
        // The partial trajectory belongs to the caller's scope, like a returned solution: nothing else is left behind.
        var y0 = ones(2, 2, ScalarType.Float64);
        var ts = tensor(new[] { 0.0, 0.25, 1.0 });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve(new BlowsUpAfter(0.5), y0, ts));
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        using (Tensor reached = e.Partial!.Ys[1, 1, 0])
            Assert.Equal(Math.Exp(-0.25), reached.item<double>(), 1e-7);
        e.Partial.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
