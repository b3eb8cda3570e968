using System;
using OdeDsl.Runtime.Tests.Systems;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// The order p of each method, measured from the global error at two step sizes (e(h)/e(h/2) ≈ 2^p) on
/// y' = cos(t)·y, whose solution is y0·e^(sin t). Non-autonomous, so wrong stage times show up as lost order.
/// </summary>
public class ConvergenceOrderTests
{
    private const double End = 2.0;

    [Theory]
    [InlineData(OdeMethod.Euler, 1, 0.02)]
    [InlineData(OdeMethod.Midpoint, 2, 0.05)]
    [InlineData(OdeMethod.Rk4, 4, 0.1)]
    public void FixedStepMethodsHaveTheirOrder(OdeMethod method, int order, double h)
    {
        double coarse = Error(new SolverOptions { Method = method, StepSize = h }, End);
        double fine = Error(new SolverOptions { Method = method, StepSize = h / 2 }, End);
        Assert.InRange(Math.Log2(coarse / fine), order - 0.15, order + 0.3);
    }

    [Fact]
    public void Dopri5PropagatesAFifthOrderSolution()
    {
        // Huge tolerances accept every step and MaxStep pins the size: dopri5 as a fixed-step method.
        static SolverOptions Fixed(double h) => new() { RelTol = 1e6, AbsTol = 1e6, FirstStep = h, MaxStep = h };
        double coarse = Error(Fixed(0.2), End);
        double fine = Error(Fixed(0.1), End);
        Assert.InRange(Math.Log2(coarse / fine), 4.7, 5.5);
    }

    [Fact]
    public void Dopri5DenseOutputIsAtLeastFourthOrderBetweenSteps()
    {
        static SolverOptions Fixed(double h) => new() { RelTol = 1e6, AbsTol = 1e6, FirstStep = h, MaxStep = h };
        // The interpolation error depends on where in a step a time falls, so compare the largest error over
        // 397 times spread across all steps: it converges like the dense output's worst case.
        double coarse = DenseError(Fixed(0.2));
        double fine = DenseError(Fixed(0.1));
        Assert.True(Math.Log2(coarse / fine) >= 3.8, $"observed order {Math.Log2(coarse / fine):F2}");
    }

    private static double DenseError(SolverOptions options)
    {
        using var scope = NewDisposeScope();
        var ts = linspace(0, End, 397, ScalarType.Float64);
        var solution = Ode.Solve(new CosineGrowth(), ones(1, 1, ScalarType.Float64), ts, options);
        var exact = ts.sin().exp();
        return (solution.Ys[.., 0, 0] - exact).abs().max().item<double>();
    }

    /// <summary>|y(t) − e^(sin t)| of a solve over [0, End] reporting the output at <paramref name="at"/>.</summary>
    private static double Error(SolverOptions options, double at)
    {
        using var scope = NewDisposeScope();
        double[] times = at == End ? new[] { 0.0, End } : new[] { 0.0, at, End };
        var solution = Ode.Solve(new CosineGrowth(), ones(1, 1, ScalarType.Float64), tensor(times), options);
        double y = solution.Ys[1, 0, 0].item<double>();
        return Math.Abs(y - Math.Exp(Math.Sin(at)));
    }
}
