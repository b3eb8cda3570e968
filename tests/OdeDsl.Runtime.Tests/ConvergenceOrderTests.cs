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
    [InlineData(OdeMethod.Heun3, 3, 0.025)]
    [InlineData(OdeMethod.Rk4, 4, 0.1)]
    public void FixedStepMethodsHaveTheirOrder(OdeMethod method, int order, double h)
    {
        double coarse = Error(new SolverOptions { Method = method, StepSize = h }, End);
        double fine = Error(new SolverOptions { Method = method, StepSize = h / 2 }, End);
        Assert.InRange(Math.Log2(coarse / fine), order - 0.15, order + 0.3);
    }

    /// <summary>
    /// Huge tolerances accept every step and MaxStep pins the size: an adaptive method as a fixed-step one. For
    /// fehlberg2 and adaptive_heun this also checks that starting each step from the last stage (evaluated at the
    /// embedded solution, as torchdiffeq does) keeps the order.
    /// </summary>
    [Theory]
    [InlineData(OdeMethod.Dopri5, 5, 0.2)]
    [InlineData(OdeMethod.Tsit5, 5, 0.05)]
    [InlineData(OdeMethod.Dopri8, 8, 0.4)]
    [InlineData(OdeMethod.Bosh3, 3, 0.1)]
    [InlineData(OdeMethod.Fehlberg2, 2, 0.05)]
    [InlineData(OdeMethod.AdaptiveHeun, 2, 0.05)]
    public void AdaptiveMethodsPropagateASolutionOfTheirOrder(OdeMethod method, int order, double h)
    {
        double coarse = Error(Fixed(method, h), End);
        double fine = Error(Fixed(method, h / 2), End);
        Assert.InRange(Math.Log2(coarse / fine), order - 0.3, order + 0.5);
    }

    /// <summary>
    /// The interpolation error depends on where in a step a time falls, so compare the largest error over 397 times
    /// spread across all steps: it converges at the rate min(p, q + 1) of the solution's order p and the dense output's
    /// local error (q its order).
    /// </summary>
    [Theory]
    [InlineData(OdeMethod.Dopri5, 5, 0.2)]
    [InlineData(OdeMethod.Tsit5, 5, 0.2)]
    [InlineData(OdeMethod.Dopri8, 5, 0.2)]
    [InlineData(OdeMethod.Bosh3, 3, 0.1)]
    [InlineData(OdeMethod.Fehlberg2, 2, 0.05)]
    [InlineData(OdeMethod.AdaptiveHeun, 2, 0.05)]
    public void DenseOutputConvergesBetweenSteps(OdeMethod method, int rate, double h)
    {
        double coarse = DenseError(Fixed(method, h));
        double fine = DenseError(Fixed(method, h / 2));
        Assert.True(Math.Log2(coarse / fine) >= rate - 0.3, $"observed order {Math.Log2(coarse / fine):F2}");
    }

    private static SolverOptions Fixed(OdeMethod method, double h) =>
        new() { Method = method, RelTol = 1e6, AbsTol = 1e6, FirstStep = h, MaxStep = h };

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
