using System;
using System.Linq;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Per-state (tensor) tolerances for SolveAdjoint's backward solve: taken from the forward's or set in
/// AdjointOptions, they apply to the state part of the augmented system element by element, their smallest value to
/// the adjoint parts. The gradients must equal direct backpropagation and finite differences.
/// </summary>
public class AdjointToleranceTests
{
    private static readonly double[] Starts = { 1.0, 0.0, -0.5, 2.0 };
    private static readonly double[] Start = { 2.0, 0.3, 0.8 };

    private static Tensor Times() => tensor(new[] { 0.0, 0.7, 1.5 });

    private static Tensor Loss(Tensor ys) => ys.square().mean() + ys[-1, .., 0].sum();

    private static (double[] Y0, double[] Parameters, OdeSolution Solution) Gradients(bool adjoint, SolverOptions options, double[]? parameters = null)
    {
        using var model = new ForcedOscillator(parameters ?? Start);
        var y0 = tensor(Starts, new long[] { 2, 2 }, requires_grad: true);
        var solution = adjoint ? Ode.SolveAdjoint(model, y0, Times(), options) : Ode.Solve(model, y0, Times(), options);
        Loss(solution.Ys).backward();
        return (y0.grad!.data<double>().ToArray(), model.Parameters.Select(p => p.grad!.item<double>()).ToArray(), solution);
    }

    [Fact]
    public void PerStateForwardTolerancesCarryIntoTheBackwardSolve()
    {
        using var scope = NewDisposeScope();
        // A [D] relative and a [B, D] absolute tolerance, both different per element; the adjoint inherits them.
        var options = new SolverOptions
        {
            RelTol = tensor(new[] { 1e-11, 1e-10 }),
            AbsTol = tensor(new[] { 1e-11, 1e-12, 1e-12, 1e-11 }, new long[] { 2, 2 }),
        };
        var direct = Gradients(adjoint: false, options);
        var adjoint = Gradients(adjoint: true, options);
        Assert.Null(adjoint.Solution.BackwardFailure);
        AssertClose(direct.Y0, adjoint.Y0, 1e-7, "y0");
        AssertClose(direct.Parameters, adjoint.Parameters, 1e-7, "parameter");

        const double eps = 1e-5;
        for (int p = 0; p < Start.Length; p++)
        {
            double LossAt(double shift)
            {
                using var inner = NewDisposeScope();
                using var noGrad = no_grad();
                double[] moved = (double[])Start.Clone();
                moved[p] += shift;
                using var model = new ForcedOscillator(moved);
                return Loss(Ode.Solve(model, tensor(Starts, new long[] { 2, 2 }), Times(), options).Ys).item<double>();
            }
            double difference = (LossAt(eps) - LossAt(-eps)) / (2 * eps);
            AssertClose(new[] { difference }, new[] { adjoint.Parameters[p] }, 1e-5, $"parameter {p} (finite differences)");
        }
    }

    [Fact]
    public void PerStateAdjointTolerancesGiveTheGradientsOfDirectBackpropagation()
    {
        using var scope = NewDisposeScope();
        var forward = new SolverOptions { RelTol = 1e-11, AbsTol = 1e-11 };
        var options = forward with
        {
            Adjoint = new AdjointOptions { RelTol = tensor(new[] { 1e-10, 1e-11 }), AbsTol = tensor(new[] { 1e-12, 1e-11 }, new long[] { 1, 2 }) },
        };
        var direct = Gradients(adjoint: false, forward);
        var adjoint = Gradients(adjoint: true, options);
        AssertClose(direct.Y0, adjoint.Y0, 1e-7, "y0");
        AssertClose(direct.Parameters, adjoint.Parameters, 1e-7, "parameter");
    }

    [Fact]
    public void APerStateToleranceOfEqualValuesStepsExactlyLikeTheNumber()
    {
        using var scope = NewDisposeScope();
        var number = Gradients(adjoint: true, new SolverOptions { RelTol = 1e-8, AbsTol = 1e-9 });
        var perState = Gradients(adjoint: true, new SolverOptions
        {
            RelTol = 1e-8,
            AbsTol = 1e-9,
            Adjoint = new AdjointOptions { RelTol = full(2, 1e-8, ScalarType.Float64), AbsTol = full(2, 2, 1e-9, ScalarType.Float64) },
        });
        Assert.Equal(number.Solution.BackwardStats, perState.Solution.BackwardStats);
        AssertClose(number.Parameters, perState.Parameters, 1e-12, "parameter");
    }

    [Fact]
    public void TheAdjointPartsKeepTheTightestPerStateValue()
    {
        using var scope = NewDisposeScope();
        var forward = new SolverOptions { RelTol = 1e-10, AbsTol = 1e-10 };
        SolverOptions Backward(Tolerance relTol) => forward with { Adjoint = new AdjointOptions { RelTol = relTol } };
        var tight = Gradients(adjoint: true, Backward(1e-10));
        var loose = Gradients(adjoint: true, Backward(1e-4));
        var mixed = Gradients(adjoint: true, Backward(tensor(new[] { 1e-4, 1e-10 })));

        // The adjoint parts are solved at 1e-10, not loosened to 1e-4: more steps than the loose solve, no more than
        // the tight one, and the tight solve's gradients.
        long tightSteps = tight.Solution.BackwardStats!.AttemptedSteps, mixedSteps = mixed.Solution.BackwardStats!.AttemptedSteps;
        Assert.InRange(mixedSteps, loose.Solution.BackwardStats!.AttemptedSteps + 1, tightSteps);
        AssertClose(tight.Parameters, mixed.Parameters, 1e-8, "parameter");
        AssertClose(tight.Y0, mixed.Y0, 1e-8, "y0");
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1.0, Math.Abs(expected[i])),
                $"{what} {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
