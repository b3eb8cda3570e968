using System;
using OdeDsl.Runtime.Tests.Systems;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// The peer problems (bench/peers/PROBLEMS.md §3, §4, §9): dopri5 with torchdiffeq's semantics must take the same
/// steps as torchdiffeq 0.2.5 — the same number of function evaluations — and reach the same values.
/// </summary>
public class PeerProblemTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// P2 fwd: 1024 Lorenz trajectories sharing one step size (RMS norm over the whole batch), dopri5 rtol 1e-6,
    /// atol 1e-8. torchdiffeq: 3158 evaluations and Σ y(10) = 22064.589014841065 in float64.
    /// </summary>
    [Fact]
    public void Dopri5MatchesTorchdiffeqOnTheLorenzBatch()
    {
        using var scope = NewDisposeScope();
        const int batch = 1024;
        var y0 = new double[batch * 3];
        for (int i = 0; i < batch; i++)
        {
            y0[3 * i] = 10.0 * Math.Sin(1.1 * i + 0.3);
            y0[3 * i + 1] = 10.0 * Math.Sin(0.7 * i + 1.9);
            y0[3 * i + 2] = 25.0 + 10.0 * Math.Sin(0.4 * i + 0.5);
        }
        var solution = Ode.Solve(new Lorenz(), tensor(y0, new long[] { batch, 3 }), linspace(0.0, 10.0, 101, ScalarType.Float64),
            new SolverOptions { RelTol = 1e-6, AbsTol = 1e-8 });

        output.WriteLine(solution.Stats.ToString());
        Assert.InRange(solution.Stats.FunctionEvaluations, 3126, 3190);
        Assert.Equal(22064.589014841065, solution.Ys[-1].sum().item<double>(), 22064.589 * 1e-6);
    }

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
