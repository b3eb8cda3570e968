using System;
using TorchSharp;
using System.Linq;
using OdeDsl.Adjoint;
using OdeDsl.Solvers;
using OdeDsl.Validation;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>Solves initial value problems <c>dy/dt = f(t, y)</c>, <c>y(ts[0]) = y0</c>, for a batch of states.</summary>
public static partial class Ode
{
    /// <summary>
    /// Integrates <paramref name="dynamics"/> from <c>ts[0]</c> through every time of <paramref name="ts"/>.
    /// </summary>
    /// <param name="dynamics">Any TorchSharp module computing <c>(t, y) → dy/dt</c>: a compiled model or a hand-written one.
    /// <c>t</c> is a scalar tensor, <c>y</c> is <c>[B, D]</c>.</param>
    /// <param name="y0"><c>[B, D]</c>: the initial states; its dtype and device decide those of everything.</param>
    /// <param name="ts">1-D, strictly increasing or strictly decreasing times, same dtype and device as <paramref name="y0"/>.</param>
    /// <param name="options">Method and tolerances; torchdiffeq's defaults when omitted.</param>
    /// <returns>The states at <paramref name="ts"/> as <c>[T, B, D]</c>, and the cost. With autograd on they are differentiable
    /// through the steps with respect to <paramref name="y0"/> and the parameters, and with respect to
    /// <paramref name="ts"/> when it requires grad (by the flow's derivative: dL/dt_i = f(t_i, y_i)·dL/dy_i for i ≥ 1,
    /// dL/dt_0 = −(dL/dy0 through the steps)·f(t_0, y0); T more evaluations of f).</returns>
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
        MovingTimes? moving = torch.is_grad_enabled() && ts.requires_grad && times.Length > 1
            ? new MovingTimes(dynamics, ts, times, options.PerSampleSteps && stepper.IsAdaptive)
            : null;
        Tensor start = moving?.Start(y0) ?? y0;
        using var dense = options.Dense ? new Solvers.Dense.DenseRecorder() : null;
        var f = new Dynamics(dynamics, y0);
        var (ys, stats, outcomes) = Integrator.Solve(f, stepper, start, times, options, NormGrouping.WholeBatch, dense);
        if (moving is not null)
            ys = moving.Outputs(y0, ys);
        var trajectory = dense?.Build(times[0], times[^1], f.Name, start);
        trajectory?.Polynomials.MoveToOuterDisposeScope();
        var solution = new OdeSolution(ts, ys.MoveToOuterDisposeScope(), stats, outcomes.Status, outcomes.TimeReached) { Trajectory = trajectory };
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
    /// of steps. Gradients reach <paramref name="y0"/> (if it requires grad), every parameter of the dynamics
    /// that requires grad, and <paramref name="ts"/> if it requires grad (dL/dt_i = f(t_i, y_i)·dL/dy_i for i ≥ 1,
    /// dL/dt_0 = −a(t_0)·f(t_0, y0) with a the adjoint at t_0 before dL/dy0 is added). A compiled model's generated
    /// vector–Jacobian products are used when present, autograd on <c>forward</c> otherwise.
    /// <see cref="SolverOptions.Adjoint"/> sets the backward solve's tolerances (numbers or per-state tensors; see
    /// <see cref="AdjointOptions"/>). With <see cref="SolverOptions.PerSampleSteps"/> the forward solve steps each
    /// sample on its own; the backward solve steps the batch together, and both hand the dynamics <c>t</c> as a
    /// <c>[B]</c> tensor (the parameters' adjoint is a sum over samples that one reverse pass gives only whole, so
    /// per-sample backward steps would cost a reverse pass per sample).
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
        bool perSampleTimes;
        using (IStepper stepper = Steppers.Create(options.Method))
        {
            times = SolveArguments.Check(dynamics, y0, ts, options, stepper);
            perSampleTimes = options.PerSampleSteps && stepper.IsAdaptive;
        }
        SolveArguments.CheckNotDense(options);
        SolverOptions backwardOptions = SolveArguments.CheckAdjoint(options, y0);

        var all = dynamics.parameters().ToArray();
        int[] trainable = Enumerable.Range(0, all.Length).Where(i => all[i].requires_grad).ToArray();
        // A single time has nothing to differentiate: Ys[0] is y0 itself, and does not move with ts[0].
        if (!torch.is_grad_enabled() || (!y0.requires_grad && trainable.Length == 0 && !ts.requires_grad) || times.Length == 1)
            return Solve(dynamics, y0, ts, options);

        var solve = new AdjointSolve(dynamics, Dynamics.NameOf(dynamics), ts, times, options, backwardOptions, trainable, perSampleTimes);
        var inputs = new object[] { solve, y0, ts }.Concat(trainable.Select(i => (object)all[i])).ToArray();
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

    /// <summary>Solves a plain function <c>(t, y) → dy/dt</c> by the adjoint method; see the module overload. Only
    /// <c>y0</c> (and <c>ts</c>) can receive gradients: tensors the function captures are not parameters the adjoint knows.</summary>
    public static OdeSolution SolveAdjoint(Func<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor ts, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        var module = new DelegateDynamics(dynamics);
        return SolveAdjoint(module, y0, ts, options);
    }
}
