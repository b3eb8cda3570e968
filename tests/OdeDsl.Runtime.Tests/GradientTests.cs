using System;
using System.Linq;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Backpropagation through the solver's steps: for y' = λy, y(T) = y0·e^(λT), so ∂y(T)/∂y0 = e^(λT) and
/// ∂y(T)/∂λ = T·y0·e^(λT). Autograd through dopri5 and RK4 must reproduce them (float64).
/// </summary>
public class GradientTests
{
    [Theory]
    [InlineData(OdeMethod.Dopri5)]
    [InlineData(OdeMethod.Rk4)]
    public void GradientsThroughTheStepsMatchTheAnalyticSensitivities(OdeMethod method)
    {
        using var scope = NewDisposeScope();
        const double lambda = -0.7, y0Value = 1.3, end = 2.0;
        using var model = new LinearGrowth(lambda);
        var y0 = full(1, 1, y0Value, ScalarType.Float64, requires_grad: true);
        var options = method == OdeMethod.Rk4
            ? new SolverOptions { Method = method, StepSize = 0.01 }
            : new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12 };

        var solution = Ode.Solve(model, y0, tensor(new[] { 0.0, 1.0, end }), options);
        solution.Ys[-1].sum().backward();

        double growth = Math.Exp(lambda * end);
        Assert.Equal(growth, y0.grad!.item<double>(), 1e-8);
        Assert.Equal(end * y0Value * growth, model.Lambda.grad!.item<double>(), 1e-8);
    }

    /// <summary>
    /// A nonlinear system (Lorenz with trainable σ, ρ, β) and a nonlinear loss: the autograd gradient through the
    /// steps equals central finite differences of the whole solve (float64). With a fixed step the solve is a fixed
    /// differentiable function of the parameters, so the two agree to the finite-difference error; with dopri5 at
    /// a tight tolerance the step selection (not differentiated) moves the result by far less than the check.
    /// </summary>
    [Theory]
    [InlineData(OdeMethod.Rk4, 1e-7)]
    [InlineData(OdeMethod.Dopri5, 1e-5)]
    public void GradientsOfANonlinearSystemMatchFiniteDifferences(OdeMethod method, double tolerance)
    {
        using var scope = NewDisposeScope();
        var options = method == OdeMethod.Rk4
            ? new SolverOptions { Method = method, StepSize = 0.005 }
            : new SolverOptions { RelTol = 1e-11, AbsTol = 1e-11 };
        var y0 = tensor(new[] { 1.0, 1.0, 1.0, -3.0, 2.0, 20.0 }, new long[] { 2, 3 });
        var ts = tensor(new[] { 0.0, 0.25, 0.5 });
        double[] start = { 10.0, 28.0, 8.0 / 3.0 };

        double Loss(TrainableLorenz model) => Ode.Solve(model, y0, ts, options).Ys.square().mean().item<double>();

        using var model = new TrainableLorenz(start);
        Tensor loss = Ode.Solve(model, y0, ts, options).Ys.square().mean();
        loss.backward();
        double[] autograd = model.Parameters.Select(p => p.grad!.item<double>()).ToArray();

        for (int i = 0; i < 3; i++)
        {
            const double eps = 1e-6;
            double[] plus = (double[])start.Clone(), minus = (double[])start.Clone();
            plus[i] += eps;
            minus[i] -= eps;
            double finiteDifference;
            using (no_grad())
                finiteDifference = (Loss(new TrainableLorenz(plus)) - Loss(new TrainableLorenz(minus))) / (2 * eps);
            Assert.True(Math.Abs(autograd[i] - finiteDifference) <= tolerance * Math.Max(1.0, Math.Abs(finiteDifference)),
                $"parameter {i}: autograd {autograd[i]:R}, finite differences {finiteDifference:R}");
        }
    }

    [Fact]
    public void AnOdeModelRejectsAStateOfTheWrongWidthNamingItsLayout()
    {
        using var model = new TwoStates();
        var e = Assert.Throws<ArgumentException>(() => Ode.Solve(model, ones(4, 3, ScalarType.Float64), tensor(new[] { 0.0, 1.0 })));
        Assert.Equal("y0", e.ParamName);
        Assert.Contains("y0 has 3 columns, but TwoStates has 2 (x, v).", e.Message);
    }

    private sealed class LinearGrowth : nn.Module<Tensor, Tensor, Tensor>
    {
        public LinearGrowth(double lambda) : base(nameof(LinearGrowth))
        {
            Lambda = new Parameter(tensor(lambda, ScalarType.Float64));
            RegisterComponents();
        }

        public Parameter Lambda { get; }

        public override Tensor forward(Tensor t, Tensor y) => y * Lambda;
    }

    private sealed class TwoStates : OdeModel
    {
        public TwoStates() : base(nameof(TwoStates))
        {
        }

        public override System.Collections.Generic.IReadOnlyList<StateInfo> States { get; } =
            new[] { new StateInfo("x", Array.Empty<int>(), 0), new StateInfo("v", Array.Empty<int>(), 1) };

        public override System.Collections.Generic.IReadOnlyList<ParameterInfo> ParameterInfos { get; } = Array.Empty<ParameterInfo>();

        public override Tensor forward(Tensor t, Tensor y) => -y;
    }
}
