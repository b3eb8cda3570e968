using System;
using OdeDsl.Runtime.Tests.Systems;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Peer problem P1 a-fwd-true-dyn (bench/peers/PROBLEMS.md §3, §9): dopri5 with torchdiffeq's semantics must take
/// the same steps as torchdiffeq 0.2.5, which made 2468 function evaluations and ended at y(25) = (-0.443623, 0.279441).
/// </summary>
public class SpiralNfeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Dopri5MatchesTorchdiffeqOnTheSpiral(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new[] { 2.0, 0.0 }, new long[] { 1, 2 }, ScalarType.Float64).to(dtype);
        var ts = linspace(0, 25, 1000, dtype);
        using var model = new SpiralTrue(dtype);

        var solution = Ode.Solve(model, y0, ts, new SolverOptions { RelTol = 1e-7, AbsTol = 1e-9 });

        Assert.Equal(new long[] { 1000, 1, 2 }, solution.Ys.shape);
        output.WriteLine($"{dtype}: {solution.Stats}");
        Assert.InRange(solution.Stats.FunctionEvaluations, 2443, 2493);
        Assert.Equal(2 + 6 * solution.Stats.AttemptedSteps, solution.Stats.FunctionEvaluations);
        double[] end = solution.Ys[-1, 0].to(ScalarType.Float64).data<double>().ToArray();
        // scipy DOP853 rtol 1e-13 (spec/reference/solutions.json): y(25) = (-0.44362348669869517, 0.2794406416187507)
        Assert.Equal(-0.44362348669869517, end[0], 1e-5);
        Assert.Equal(0.2794406416187507, end[1], 1e-5);
        Assert.Equal(dtype, solution.Ys.dtype);
    }
}
