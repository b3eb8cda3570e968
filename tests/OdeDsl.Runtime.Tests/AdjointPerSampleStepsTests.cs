using System;
using System.Linq;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// SolveAdjoint with per-sample steps: the forward steps each sample on its own, the backward steps the batch
/// together, and both hand the dynamics t as [B]. The gradients for y0 and the parameters must be those of
/// backpropagation through the per-sample steps and of central finite differences (float64, tight tolerances).
/// </summary>
public class AdjointPerSampleStepsTests
{
    // Three samples of (x, v) that need different steps: the third starts far from rest.
    private static readonly double[] Starts = { 1.0, 0.0, -0.5, 2.0, 3.0, -1.0 };
    private static readonly double[] Start = { 2.0, 0.3, 0.8 };
    private static readonly SolverOptions Options = new() { RelTol = 1e-11, AbsTol = 1e-11, PerSampleSteps = true };

    private static Tensor Times() => tensor(new[] { 0.0, 0.4, 1.1, 2.0 });

    private static Tensor Loss(Tensor ys) => ys.square().mean() + ys[-1, .., 0].sum();

    private static (double[] Y0, double[] Parameters, OdeSolution Solution) Gradients(bool adjoint)
    {
        using var model = new ForcedOscillator(Start) { RequirePerSampleTimes = true };
        var y0 = tensor(Starts, new long[] { 3, 2 }, requires_grad: true);
        var solution = adjoint ? Ode.SolveAdjoint(model, y0, Times(), Options) : Ode.Solve(model, y0, Times(), Options);
        Loss(solution.Ys).backward();
        return (y0.grad!.data<double>().ToArray(), model.Parameters.Select(p => p.grad!.item<double>()).ToArray(), solution);
    }

    [Fact]
    public void PerSampleAdjointGradientsMatchBackpropagationThroughThePerSampleSteps()
    {
        using var scope = NewDisposeScope();
        var direct = Gradients(adjoint: false);
        var adjoint = Gradients(adjoint: true);

        // The model throws on a scalar t; inside the backward that would show as a failure with NaN gradients.
        Assert.Null(adjoint.Solution.BackwardFailure);
        Assert.NotNull(adjoint.Solution.Stats.PerSample);
        Assert.True(adjoint.Solution.BackwardStats!.FunctionEvaluations > 0);
        AssertClose(direct.Y0, adjoint.Y0, 1e-7, "y0");
        AssertClose(direct.Parameters, adjoint.Parameters, 1e-7, "parameter");
    }

    [Fact]
    public void PerSampleAdjointGradientsMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var adjoint = Gradients(adjoint: true);
        const double eps = 1e-5;

        double LossAt(double[] starts, double[] parameters)
        {
            using var inner = NewDisposeScope();
            using var noGrad = no_grad();
            using var model = new ForcedOscillator(parameters);
            return Loss(Ode.Solve(model, tensor(starts, new long[] { 3, 2 }), Times(), Options).Ys).item<double>();
        }

        double Central(double[] values, int i, Func<double[], double> loss)
        {
            double[] plus = (double[])values.Clone(), minus = (double[])values.Clone();
            plus[i] += eps;
            minus[i] -= eps;
            return (loss(plus) - loss(minus)) / (2 * eps);
        }

        double[] y0Differences = Enumerable.Range(0, Starts.Length).Select(i => Central(Starts, i, s => LossAt(s, Start))).ToArray();
        double[] parameterDifferences = Enumerable.Range(0, Start.Length).Select(i => Central(Start, i, p => LossAt(Starts, p))).ToArray();
        AssertClose(y0Differences, adjoint.Y0, 1e-5, "y0");
        AssertClose(parameterDifferences, adjoint.Parameters, 1e-5, "parameter");
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1.0, Math.Abs(expected[i])),
                $"{what} {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
