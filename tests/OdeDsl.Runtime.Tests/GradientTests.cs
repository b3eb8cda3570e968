using System;
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
