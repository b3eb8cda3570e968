using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// The solver loop disposes everything it allocates: after a long solve, the only new live tensor on this thread is
/// the returned trajectory, whatever the number of steps.
/// </summary>
public class MemoryTests
{
    [Fact]
    public void AHundredThousandEulerStepsLeaveOnlyTheTrajectory()
    {
        var y0 = ones(4, 2, ScalarType.Float64);
        var ts = tensor(new[] { 0.0, 1.0 });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var solution = Ode.Solve(new Exponential(-1), y0, ts, new SolverOptions { Method = OdeMethod.Euler, StepSize = 1e-5 });

        Assert.Equal(100_000, solution.Stats.AcceptedSteps);
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        solution.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void ALongAdaptiveSolveLeavesOnlyTheTrajectory()
    {
        var y0 = tensor(new[] { 2.0, 0.0 }, new long[] { 1, 2 });
        var ts = linspace(0, 60, 500, ScalarType.Float64);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var solution = Ode.Solve(new VanDerPol(1.0), y0, ts, new SolverOptions { RelTol = 1e-12, AbsTol = 1e-12 });

        Assert.True(solution.Stats.AttemptedSteps > 5_000, solution.Stats.ToString());
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        solution.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
