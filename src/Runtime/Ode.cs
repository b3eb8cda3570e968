using System;
using TorchSharp;
using System.Linq;
using OdeDsl.Adjoint;
using OdeDsl.Solvers;
using OdeDsl.Validation;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>Solves initial value problems <c>dy/dt = f(t, y)</c>, <c>y(ts[0]) = y0</c>, for a batch of states.</summary>
public static class Ode
{
    /// <summary>
    /// Integrates <paramref name="dynamics"/> from <c>ts[0]</c> through every time of <paramref name="ts"/>.
    /// </summary>
    /// <param name="dynamics">Any TorchSharp module computing <c>(t, y) → dy/dt</c>: a compiled model or a hand-written one.
    /// <c>t</c> is a scalar tensor, <c>y</c> is <c>[B, D]</c>.</param>
    /// <param name="y0"><c>[B, D]</c>: the initial states; its dtype and device decide those of everything.</param>
    /// <param name="ts">1-D, strictly increasing or strictly decreasing times, same dtype and device as <paramref name="y0"/>.</param>
    /// <param name="options">Method and tolerances; torchdiffeq's defaults when omitted.</param>
    /// <returns>The states at <paramref name="ts"/> as <c>[T, B, D]</c> (differentiable when autograd is on), and the cost.</returns>
    /// <exception cref="ArgumentException">A malformed argument, detected before any work.</exception>
    /// <exception cref="OdeSolverException">A sample could not finish (non-finite state, step size underflow, too many
    /// steps) and <see cref="SolverOptions.ThrowOnFailure"/> is true (the default); it carries the partial solution.</exception>
    public static OdeSolution Solve(nn.Module<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor ts, SolverOptions? options = null)
    {
        options ??= new SolverOptions();
        using IStepper stepper = Steppers.Create(options.Method);
        double[] times = SolveArguments.Check(dynamics, y0, ts, options, stepper);

        // Anything the dynamics create outside the per-step scopes (the first evaluation, the initial-step
        // heuristic's) belongs to this scope; only the trajectory leaves it.
        using var solveScope = torch.NewDisposeScope();
        var (ys, stats, outcomes) = Integrator.Solve(new Dynamics(dynamics, y0), stepper, y0, times, options, NormGrouping.WholeBatch);
        var solution = new OdeSolution(ts, ys.MoveToOuterDisposeScope(), stats, outcomes.Status, outcomes.TimeReached);
        if (outcomes.FirstFailure is { } failure && options.ThrowOnFailure)
        {
            failure.Partial = solution;
            throw failure;
        }
        return solution;
    }

    /// <summary>
    /// Like <see cref="Solve(nn.Module{Tensor, Tensor, Tensor}, Tensor, Tensor, SolverOptions?)"/>, but the returned
    /// <c>Ys</c> is differentiated by the adjoint method (Chen et al., NeurIPS 2018) instead of through the steps:
    /// backpropagating a loss integrates the adjoint system backwards, in memory that does not grow with the number
    /// of steps. Gradients reach <paramref name="y0"/> (if it requires grad) and every parameter of the dynamics
    /// that requires grad. A compiled model's generated vector–Jacobian products are used when present, autograd
    /// on <c>forward</c> otherwise. <see cref="SolverOptions.Adjoint"/> sets the backward solve's tolerances.
    /// </summary>
    /// <remarks>
    /// <see cref="SolverOptions.ThrowOnFailure"/> applies to the forward solve (<see cref="OdeSolution.Status"/>); the
    /// backward solve reports its failure on <see cref="OdeSolution.BackwardFailure"/> (NaN gradients) whatever the
    /// option, and fails when a failed sample's NaN outputs reach it.
    /// </remarks>
    public static OdeSolution SolveAdjoint(nn.Module<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor ts, SolverOptions? options = null)
    {
        options ??= new SolverOptions();
        double[] times;
        using (IStepper stepper = Steppers.Create(options.Method))
            times = SolveArguments.Check(dynamics, y0, ts, options, stepper);
        SolverOptions backwardOptions = SolveArguments.CheckAdjoint(options);

        var all = dynamics.parameters().ToArray();
        int[] trainable = Enumerable.Range(0, all.Length).Where(i => all[i].requires_grad).ToArray();
        if (!torch.is_grad_enabled() || (!y0.requires_grad && trainable.Length == 0) || times.Length == 1)
            return Solve(dynamics, y0, ts, options);

        var solve = new AdjointSolve(dynamics, Dynamics.NameOf(dynamics), ts, times, options, backwardOptions, trainable);
        var inputs = new object[] { solve, y0 }.Concat(trainable.Select(i => (object)all[i])).ToArray();
        Tensor ys = AdjointFunction.apply(inputs);
        var solution = new OdeSolution(ts, ys, solve.ForwardStats, solve.ForwardStatus, solve.ForwardTimeReached);
        solve.Solution = solution;
        return solution;
    }

    /// <summary>Solves a plain function <c>(t, y) → dy/dt</c>; see the module overload.</summary>
    public static OdeSolution Solve(Func<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor ts, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        using var module = new DelegateDynamics(dynamics);
        return Solve(module, y0, ts, options);
    }
}
