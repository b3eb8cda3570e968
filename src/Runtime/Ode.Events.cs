using System;
using System.Globalization;
using System.Linq;
using TorchSharp;
using OdeDsl.Events;
using OdeDsl.Solvers;
using OdeDsl.Validation;
using static TorchSharp.torch;

namespace OdeDsl;

public static partial class Ode
{
    /// <summary>
    /// Solves from <paramref name="t0"/> forwards until each sample's event: the first time a component of
    /// <paramref name="eventFunction"/> <c>g(t, y)</c> changes sign (in <see cref="EventOptions.Direction"/>), located
    /// on the steps' dense output (torchdiffeq's <c>odeint_event</c>). Each sample stops at its own event; the event
    /// times and states are differentiable with respect to <paramref name="y0"/>, <paramref name="t0"/>, the dynamics'
    /// parameters and the event function's, through the steps or (<see cref="EventOptions.Adjoint"/>) by the adjoint.
    /// </summary>
    /// <param name="dynamics">The dynamics <c>(t, y) → dy/dt</c>, as for <see cref="Solve(nn.Module{Tensor, Tensor, Tensor}, Tensor, Tensor, SolverOptions?)"/>.</param>
    /// <param name="y0"><c>[B, D]</c> initial states.</param>
    /// <param name="t0">The start time: a one-element tensor in <paramref name="y0"/>'s dtype (it may require grad).</param>
    /// <param name="eventFunction"><c>(t, y) → [B]</c> or <c>[B, K]</c>; <c>t</c> is a <c>[B]</c> tensor of per-sample times.
    /// A component that is exactly zero at <paramref name="t0"/> fires at its next sign change, not at the start.</param>
    /// <param name="options">Method and tolerances (shared steps; <see cref="SolverOptions.Dense"/> and <see cref="SolverOptions.PerSampleSteps"/> do not apply).</param>
    /// <param name="events">Direction, location tolerance, a time limit, the adjoint.</param>
    /// <exception cref="OdeSolverException">A sample had no event within MaxSteps or by <see cref="EventOptions.MaxTime"/>, or the solve failed.</exception>
    public static OdeEventSolution SolveEvent(nn.Module<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor t0,
        Func<Tensor, Tensor, Tensor> eventFunction, SolverOptions? options = null, EventOptions? events = null)
    {
        options ??= new SolverOptions();
        events ??= new EventOptions();
        ArgumentNullException.ThrowIfNull(eventFunction);
        ArgumentNullException.ThrowIfNull(t0);
        using IStepper stepper = Steppers.Create(options.Method);
        if (t0.numel() != 1)
            throw new ArgumentException($"t0 must be a one-element tensor (the start time), but has shape [{string.Join(", ", t0.shape)}].", nameof(t0));
        SolveArguments.Check(dynamics, y0, t0.reshape(1), options, stepper);
        CheckEventOptions(options, events, t0);

        string model = Dynamics.NameOf(dynamics);
        double start = t0.to(ScalarType.Float64, torch.CPU).item<double>();
        var condition = new EventCondition(eventFunction, events.Direction, model, y0.shape[0]);
        bool differentiable = torch.is_grad_enabled();

        using var solveScope = torch.NewDisposeScope();
        Tensor startState = differentiable ? EventGradient.StartTimeShift(dynamics, y0, t0) : y0;
        using var frozen = new StoppedSamples(dynamics);
        var f = new Dynamics(frozen, y0);
        EventSolver.Result located;
        using (events.Adjoint ? torch.no_grad() : null)
            located = EventSolver.Solve(f, frozen, stepper, events.Adjoint ? startState.detach() : startState, start, condition, options, events);

        Tensor time = located.Time.to(y0.dtype);
        Tensor state = located.State;
        if (differentiable && events.Adjoint)
            state = StateByAdjoint(dynamics, startState, start, located.Time, options);
        if (differentiable)
            (time, state) = EventGradient.Reroute(dynamics, eventFunction, condition, time, state, located.Component, model);

        long[] component = located.Component.cpu().data<long>().ToArray();
        return new OdeEventSolution(time.MoveToOuterDisposeScope(), state.MoveToOuterDisposeScope(), component, located.Stats, condition.Evaluations);
    }

    /// <summary>Solves a plain function <c>(t, y) → dy/dt</c> until its events; see the module overload.</summary>
    public static OdeEventSolution SolveEvent(Func<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor t0,
        Func<Tensor, Tensor, Tensor> eventFunction, SolverOptions? options = null, EventOptions? events = null)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        using var module = new DelegateDynamics(dynamics);
        return SolveEvent(module, y0, t0, eventFunction, options, events);
    }

    // The states at every sample's own event time from one adjoint solve over the sorted distinct times.
    private static Tensor StateByAdjoint(nn.Module<Tensor, Tensor, Tensor> dynamics, Tensor y0, double start, Tensor eventTimes, SolverOptions options)
    {
        double[] times = eventTimes.cpu().data<double>().ToArray();
        double[] grid = new[] { start }.Concat(times.Distinct().OrderBy(t => t)).Where((t, i) => i == 0 || t > start).ToArray();
        long[] row = times.Select(t => (long)Array.IndexOf(grid, t)).ToArray();
        OdeSolution solution = SolveAdjoint(dynamics, y0, torch.tensor(grid, y0.dtype, y0.device), options);
        Tensor at = torch.tensor(row, ScalarType.Int64, y0.device);
        return solution.Ys[at, torch.arange(y0.shape[0], ScalarType.Int64, y0.device)];
    }

    private static void CheckEventOptions(SolverOptions options, EventOptions events, Tensor t0)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (!(events.TimeTolerance > 0) || !double.IsFinite(events.TimeTolerance))
            throw new ArgumentException(string.Format(CultureInfo.InvariantCulture, "EventOptions.TimeTolerance must be a finite number > 0, but is {0}.", events.TimeTolerance), nameof(events));
        if (double.IsNaN(events.MaxTime))
            throw new ArgumentException("EventOptions.MaxTime must be a time (or +∞), not NaN.", nameof(events));
        if (options.PerSampleSteps)
            throw new ArgumentException("SolveEvent steps the batch together (each sample still stops at its own event); PerSampleSteps is not supported here yet.", nameof(options));
        if (options.Dense)
            throw new ArgumentException("SolveEvent returns the events, not a dense solution: leave Dense off (solve again with Dense up to the event time to get one).", nameof(options));
    }
}
