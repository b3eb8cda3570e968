using System;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>Issue 13's runtime edges: parameters in another dtype or device than y0, empty batches, plain functions through the adjoint, NaN from the loss.</summary>
public class RuntimeEdgeTests
{
    private sealed class Decay : nn.Module<Tensor, Tensor, Tensor>
    {
        public Decay(ScalarType dtype) : base(nameof(Decay))
        {
            rate = nn.Parameter(tensor(8.0 / 3.0, dtype));
            RegisterComponents();
        }

        // A field: TorchSharp registers components under their field names.
        private readonly TorchSharp.Modules.Parameter rate;

        public override Tensor forward(Tensor t, Tensor y) => -rate * y;
    }

    [Fact]
    public void AParameterInAnotherDtypeThanY0IsNamedUpFront()
    {
        using var scope = NewDisposeScope();
        using var model = new Decay(ScalarType.Float32);
        Tensor y0 = ones(2, 1, float64), ts = tensor(new[] { 0.0, 1.0 }, float64);
        foreach (Func<OdeSolution> solve in new Func<OdeSolution>[] { () => Ode.Solve(model, y0, ts), () => Ode.SolveAdjoint(model, y0.requires_grad_(), ts) })
        {
            var error = Assert.Throws<ArgumentException>(solve);
            Assert.Contains("Decay's parameter 'rate' is Float32 but y0 is Float64", error.Message);
            Assert.Contains("model.to(ScalarType.Float64)", error.Message);
        }
        model.to(ScalarType.Float64);
        Assert.Equal(Math.Exp(-8.0 / 3.0), Ode.Solve(model, y0.detach(), ts).Ys[1, 0, 0].item<double>(), 1e-7);
    }

    [Fact]
    public void AnEmptyBatchSaysSo()
    {
        var error = Assert.Throws<ArgumentException>(() => Ode.Solve((t, y) => -y, zeros(0, 3, float64), tensor(new[] { 0.0, 1.0 }, float64)));
        Assert.Contains("y0 has no rows (shape [0, 3])", error.Message);
    }

    /// <summary>y' = −y: dL/dy0 of L = Σ y(1) is e^(−1) per element.</summary>
    [Fact]
    public void SolveAdjointTakesAPlainFunction()
    {
        using var scope = NewDisposeScope();
        Tensor y0 = ones(3, 2, float64).requires_grad_();
        OdeSolution solution = Ode.SolveAdjoint((t, y) => -y, y0, tensor(new[] { 0.0, 1.0 }, float64), new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12 });
        solution.Ys[^1].sum().backward();
        solution.ThrowIfBackwardFailed();
        Assert.True(y0.grad!.allclose(full(3, 2, Math.Exp(-1), float64), rtol: 1e-8, atol: 0));
    }

    [Fact]
    public void ANaNFromTheLossIsBlamedOnTheLossNotTheDynamics()
    {
        using var scope = NewDisposeScope();
        using var model = new Decay(ScalarType.Float64);
        OdeSolution solution = Ode.SolveAdjoint(model, ones(2, 1, float64), tensor(new[] { 0.0, 0.5, 1.0 }, float64));
        // The square root of a negative number: a NaN gradient in dL/dYs at the last output time only.
        (solution.Ys[2] - 2.0).sqrt().sum().add(solution.Ys[1].sum(), 1.0).backward();

        OdeSolverException failure = Assert.IsType<OdeSolverException>(solution.BackwardFailure);
        Assert.Equal(OdeFailure.NonFiniteLossGradient, failure.Failure);
        Assert.Contains("output index 2 of 3", failure.Message);
        Assert.Contains("the loss produced it", failure.Message);
        Assert.Same(failure, Assert.Throws<OdeSolverException>(solution.ThrowIfBackwardFailed));
    }
}
