using System;
using System.Linq;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Gradients with respect to the output times ts, from SolveAdjoint and from Solve (through the steps):
/// dL/dt_i = f(t_i, y_i)·dL/dy_i for i ≥ 1 and dL/dt_0 = −a(t_0)·f(t_0, y0). Checked against the matrix exponential for y' = Ay, against the closed form and
/// against finite differences in ts for a forced (time-dependent) oscillator, forwards and backwards in time.
/// </summary>
public class TimeGradientTests
{
    private static readonly double[] Matrix = { 0.0, 1.0, -2.0, -0.3 };

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void TimeGradientsOfALinearSystemMatchTheMatrixExponential(bool backwardsInTime, bool adjoint)
    {
        using var scope = NewDisposeScope();
        double[] times = backwardsInTime ? new[] { 1.5, 1.0, 0.2, -0.4 } : new[] { 0.1, 0.5, 1.2, 2.0 };
        var ts = tensor(times, requires_grad: true);
        var y0 = tensor(new[] { 1.0, 0.0, -0.3, 0.8 }, new long[] { 2, 2 });
        using var model = new Linear(Matrix);
        Tensor weights = Weights(times.Length, 2, 2);

        var options = new SolverOptions { RelTol = 1e-11, AbsTol = 1e-12 };
        var solution = adjoint ? Ode.SolveAdjoint(model, y0, ts, options) : Ode.Solve(model, y0, ts, options);
        (solution.Ys * weights).sum().backward();
        // The time gradients do not change the solve.
        Assert.Equal(Ode.Solve(model, y0, tensor(times), options).Stats, solution.Stats);

        // y_b(t) = e^{A(t − t0)} y0_b; L = Σ_i w_i·y(t_i): dL/dt_i = w_i·A y(t_i), dL/dt_0 = −Σ_i w_i·A e^{A(t_i − t0)} y0.
        Tensor a = tensor(Matrix, new long[] { 2, 2 });
        double[] expected = new double[times.Length];
        for (int i = 1; i < times.Length; i++)
        {
            Tensor yi = y0.matmul(linalg.matrix_exp(a * (times[i] - times[0])).t());
            Tensor slope = yi.matmul(a.t());
            expected[i] = (slope * weights[i]).sum().item<double>();
            expected[0] -= expected[i];
        }
        double[] actual = ts.grad!.data<double>().ToArray();
        for (int i = 0; i < times.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-8 * Math.Max(1, Math.Abs(expected[i])), $"t_{i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    public void TimeGradientsMatchTheClosedFormAndFiniteDifferences(bool perSampleSteps, bool backwardsInTime, bool adjoint)
    {
        using var scope = NewDisposeScope();
        double[] times = backwardsInTime ? new[] { 2.0, 1.3, 0.6, 0.0 } : new[] { 0.0, 0.6, 1.3, 2.0 };
        var y0Values = new[] { 1.0, 0.0, -0.5, 2.0 };
        var options = new SolverOptions { RelTol = 1e-11, AbsTol = 1e-11, PerSampleSteps = perSampleSteps };
        static Tensor Loss(Tensor ys) => ys.square().mean() + ys[.., .., 1].sum();

        using var model = new ForcedOscillator { RequirePerSampleTimes = perSampleSteps };
        var ts = tensor(times, requires_grad: true);
        var y0 = tensor(y0Values, new long[] { 2, 2 }, requires_grad: true);
        var solution = adjoint ? Ode.SolveAdjoint(model, y0, ts, options) : Ode.Solve(model, y0, ts, options);
        Loss(solution.Ys).backward();
        Assert.Null(solution.BackwardFailure);
        double[] actual = ts.grad!.data<double>().ToArray();

        // The closed form for i ≥ 1: f(t_i, y_i)·dL/dy_i, dL/dy_i by autograd on the loss alone.
        Tensor ys = solution.Ys.detach().requires_grad_();
        Tensor gradYs = autograd.grad(new[] { Loss(ys) }, new[] { ys })[0];
        for (int i = 1; i < times.Length; i++)
        {
            Tensor t = perSampleSteps ? full(2, times[i], ScalarType.Float64) : tensor(times[i]);
            double closedForm;
            using (no_grad())
                closedForm = (model.call(t, ys[i].detach()) * gradYs[i]).sum().item<double>();
            Assert.Equal(closedForm, actual[i], 1e-10);
        }

        // Every time, t_0 included, against central differences of the whole solve.
        const double eps = 1e-5;
        for (int i = 0; i < times.Length; i++)
        {
            double LossAt(double shift)
            {
                using var inner = NewDisposeScope();
                using var noGrad = no_grad();
                double[] moved = (double[])times.Clone();
                moved[i] += shift;
                return Loss(Ode.Solve(model, tensor(y0Values, new long[] { 2, 2 }), tensor(moved), options).Ys).item<double>();
            }
            double difference = (LossAt(eps) - LossAt(-eps)) / (2 * eps);
            Assert.True(Math.Abs(difference - actual[i]) < 1e-6 * Math.Max(1, Math.Abs(difference)), $"t_{i}: finite differences {difference:R}, adjoint {actual[i]:R}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnlyTheTimesRequireGrad(bool adjoint)
    {
        using var scope = NewDisposeScope();
        using var model = new Linear(Matrix);
        var ts = tensor(new[] { 0.0, 1.0 }, requires_grad: true);
        var solve = adjoint ? (Func<nn.Module<Tensor, Tensor, Tensor>, Tensor, Tensor, SolverOptions?, OdeSolution>)Ode.SolveAdjoint : Ode.Solve;
        var solution = solve(model, ones(1, 2, ScalarType.Float64), ts, new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12 });
        Assert.True(solution.Ys.requires_grad);
        solution.Ys[-1].sum().backward();
        // An autonomous system's y(t_1) depends only on t_1 − t_0: dL/dt_0 = −dL/dt_1, and y0 needs no gradient.
        double[] grad = ts.grad!.data<double>().ToArray();
        Assert.Equal(-grad[0], grad[1], 1e-9);
        Assert.NotEqual(0.0, grad[1]);
    }

    /// <summary>[T, B, D] weights that differ in every element.</summary>
    private static Tensor Weights(int times, int batch, int width) =>
        arange(times * batch * width, ScalarType.Float64).mul(0.37).sin().reshape(times, batch, width);

    /// <summary>y' = A y with a fixed A (no parameters).</summary>
    private sealed class Linear : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Tensor transposed;

        public Linear(double[] matrix) : base(nameof(Linear)) =>
            transposed = tensor(matrix, new long[] { 2, 2 }).t().contiguous().DetachFromDisposeScope();

        public override Tensor forward(Tensor t, Tensor y) => y.matmul(transposed);
    }
}
