using System;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// A y0 that is a non-contiguous view (columns sliced out of a wider tensor, as an encoder's mean is) solves like any
/// other: against the exact solution y0·e^(λt), forwards and through the adjoint.
/// </summary>
public class NonContiguousInputTests
{
    [Theory]
    [InlineData(OdeMethod.Dopri5)]
    [InlineData(OdeMethod.Tsit5)]
    public void SlicedInitialStateSolvesToTheExactSolution(OdeMethod method)
    {
        Tensor wide = arange(24, dtype: float64).reshape(4, 6) / 10.0;
        Tensor y0 = wide[.., 1..4];
        Assert.False(y0.is_contiguous());
        // A first step of 0.2 spans six output times: they are interpolated from y0 itself.
        Tensor ts = linspace(0.0, 1.0, 33, dtype: float64);
        using var f = new Exponential(-0.7);

        var options = new SolverOptions { Method = method, RelTol = 1e-6, AbsTol = 1e-8, FirstStep = 0.2 };
        Tensor ys = Ode.Solve(f, y0, ts, options).Ys;

        Tensor exact = y0.unsqueeze(0) * (-0.7 * ts).exp().reshape(-1, 1, 1);
        Assert.True((ys - exact).abs().max().item<double>() < 1e-5);
    }

    [Fact]
    public void SlicedInitialStateGetsItsAdjointGradient()
    {
        Tensor wide = (arange(24, dtype: float64).reshape(4, 6) / 10.0).requires_grad_(true);
        Tensor ts = linspace(0.0, 1.0, 33, dtype: float64);
        using var f = new Exponential(-0.7);

        Tensor ys = Ode.SolveAdjoint(f, wide[.., 1..4], ts, new SolverOptions { RelTol = 1e-6, AbsTol = 1e-8, FirstStep = 0.2 }).Ys;
        ys[-1].sum().backward();

        // d(sum y(1))/dy0 = e^(−0.7) for the sliced columns, 0 elsewhere.
        Tensor expected = zeros(4, 6, dtype: float64);
        expected[.., 1..4] = Math.Exp(-0.7);
        Assert.True((wide.grad! - expected).abs().max().item<double>() < 1e-5);
    }
}
