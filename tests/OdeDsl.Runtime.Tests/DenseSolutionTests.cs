using System;
using System.Linq;
using OdeDsl.Runtime.Tests.Systems;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// <see cref="SolverOptions.Dense"/> and <see cref="OdeSolution.Evaluate"/>: the continuous solution agrees with a solve
/// that outputs at the same times (the steps do not depend on the output times), with the exact solution
/// y = y0·e^(sin t) of y' = cos(t)·y, converges at the interpolant's order, and is differentiable.
/// </summary>
public class DenseSolutionTests
{
    private static readonly double[] Anywhere = { 0.0, 0.013, 0.5, 1.234, 1.9, 2.5, 3.14159, 3.7, 4.0 };

    [Theory]
    [InlineData(OdeMethod.Dopri5)]
    [InlineData(OdeMethod.Tsit5)]
    [InlineData(OdeMethod.Bosh3)]
    public void EvaluateEqualsASolveOutputtingThere(OdeMethod method)
    {
        using var scope = NewDisposeScope();
        var options = new SolverOptions { Method = method, RelTol = 1e-6, AbsTol = 1e-8 };
        Tensor y0 = tensor(new[] { 1.0, 0.5, -2.0 }, float64).view(3, 1);
        using var dense = Ode.Solve(new CosineGrowth(), y0, tensor(new[] { 0.0, 4.0 }, float64), options with { Dense = true });
        Tensor times = tensor(Anywhere, float64);
        Tensor evaluated = dense.Evaluate(times);
        using var direct = Ode.Solve(new CosineGrowth(), y0, times, options);

        Assert.Equal(new long[] { Anywhere.Length, 3, 1 }, evaluated.shape);
        Assert.True(evaluated.allclose(direct.Ys, rtol: 0, atol: 1e-12), $"largest difference {(evaluated - direct.Ys).abs().max().item<double>():E2}");
        Tensor exact = y0.unsqueeze(0) * times.sin().exp().view(-1, 1, 1);
        Assert.True(evaluated.allclose(exact, rtol: 0, atol: 1e-4), $"largest error {(evaluated - exact).abs().max().item<double>():E2}");
        Assert.Equal(dense.Stats.AcceptedSteps, dense.Trajectory!.Steps);
    }

    [Fact]
    public void EvaluateAcceptsTimesInAnyOrderAndInReverseTimeSolves()
    {
        using var scope = NewDisposeScope();
        Tensor y0 = ones(2, 1, float64);
        using var solution = Ode.Solve(new CosineGrowth(), y0, tensor(new[] { 3.0, -1.0 }, float64), new SolverOptions { Dense = true });
        double[] times = { 2.5, -0.75, 0.0, 3.0, -1.0, 1.0 };
        Tensor evaluated = solution.Evaluate(tensor(times, float64));
        for (int i = 0; i < times.Length; i++)
            Assert.Equal(Math.Exp(Math.Sin(times[i]) - Math.Sin(3.0)), evaluated[i, 1, 0].item<double>(), 1e-6);
    }

    /// <summary>Fixed-step methods interpolate with cubic Hermite: with rk4 the error between steps falls as h⁴.</summary>
    [Fact]
    public void FixedStepInterpolantConvergesAtOrderFour()
    {
        double Error(double h)
        {
            using var scope = NewDisposeScope();
            using var solution = Ode.Solve(new CosineGrowth(), ones(1, 1, float64), tensor(new[] { 0.0, 2.0 }, float64),
                new SolverOptions { Method = OdeMethod.Rk4, StepSize = h, Dense = true });
            Tensor times = linspace(0, 2, 397, ScalarType.Float64);
            return (solution.Evaluate(times)[.., 0, 0] - times.sin().exp()).abs().max().item<double>();
        }
        double order = Math.Log2(Error(0.2) / Error(0.1));
        Assert.InRange(order, 3.7, 4.5);
    }

    [Fact]
    public void EvaluateIsDifferentiableInTheInitialStateAndTheTimes()
    {
        using var scope = NewDisposeScope();
        Tensor y0 = tensor(new[] { 1.5 }, float64).view(1, 1).requires_grad_();
        Tensor times = tensor(new[] { 0.7, 2.2 }, float64).requires_grad_();
        var options = new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12, Dense = true };
        using var solution = Ode.Solve(new CosineGrowth(), y0, tensor(new[] { 0.0, 3.0 }, float64), options);
        Tensor y = solution.Evaluate(times);
        var grads = autograd.grad(new[] { y.sum() }, new[] { y0, times });

        // y(t) = y0·e^(sin t): ∂/∂y0 = Σ e^(sin t_i); ∂y(t_i)/∂t_i = cos(t_i)·y(t_i).
        double[] t = { 0.7, 2.2 };
        Assert.Equal(t.Sum(ti => Math.Exp(Math.Sin(ti))), grads[0].item<double>(), 1e-8);
        for (int i = 0; i < 2; i++)
            Assert.Equal(Math.Cos(t[i]) * 1.5 * Math.Exp(Math.Sin(t[i])), grads[1][i].item<double>(), 1e-6);
    }

    [Fact]
    public void BadUseIsAClearError()
    {
        using var scope = NewDisposeScope();
        Tensor y0 = ones(1, 1, float64), ts = tensor(new[] { 0.0, 1.0 }, float64);
        using var plain = Ode.Solve(new CosineGrowth(), y0, ts);
        Assert.Contains("Dense = true", Assert.Throws<InvalidOperationException>(() => plain.Evaluate(ts)).Message);

        using var dense = Ode.Solve(new CosineGrowth(), y0, ts, new SolverOptions { Dense = true });
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => dense.Evaluate(tensor(new[] { 0.5, 1.5 }, float64)));
        Assert.Contains("CosineGrowth", outside.Message);
        Assert.Contains("times[1] = 1.5", outside.Message);
        Assert.Throws<ArgumentException>(() => dense.Evaluate(ones(2, 2, float64)));

        Assert.Contains("PerSampleSteps", Assert.Throws<ArgumentException>(() =>
            Ode.Solve(new CosineGrowth(), y0, ts, new SolverOptions { Dense = true, PerSampleSteps = true })).Message);
        Tensor trainable = y0.clone().requires_grad_();
        Assert.Contains("SolveAdjoint", Assert.Throws<ArgumentException>(() =>
            Ode.SolveAdjoint(new CosineGrowth(), trainable, ts, new SolverOptions { Dense = true })).Message);
    }

    [Fact]
    public void ASingleTimeIsAConstantSolution()
    {
        using var scope = NewDisposeScope();
        Tensor y0 = tensor(new[] { 2.0, 3.0 }, float64).view(1, 2);
        using var solution = Ode.Solve(new CosineGrowth(), y0, tensor(new[] { 1.0 }, float64), new SolverOptions { Dense = true });
        Assert.True(solution.Evaluate(tensor(new[] { 1.0 }, float64))[0].eq(y0).all().item<bool>());
    }
}
