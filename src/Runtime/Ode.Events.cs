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
    /// With <see cref="SolverOptions.PerSampleSteps"/> (adaptive methods) each sample steps on its own and leaves the
    /// batch at its event, so it gets the event it would get if solved alone; otherwise the batch shares its steps and
    /// the samples that fired are frozen while the others go on.
    /// </summary>
    /// <param name="dynamics">The dynamics <c>(t, y) → dy/dt</c>, as for <see cref="Solve(nn.Module{Tensor, Tensor, Tensor}, Tensor, Tensor, SolverOptions?)"/>
    /// (with <see cref="SolverOptions.PerSampleSteps"/>, <c>t</c> is a <c>[B]</c> tensor of the running samples' times).</param>
    /// <param name="y0"><c>[B, D]</c> initial states.</param>
    /// <param name="t0">The start time: a one-element tensor in <paramref name="y0"/>'s dtype (it may require grad).</param>
    /// <param name="eventFunction"><c>(t, y) → [B]</c> or <c>[B, K]</c>; <c>t</c> is a <c>[B]</c> tensor of per-sample times
    /// (with per-sample steps B counts only the samples still running). A component that is exactly zero at
    /// <paramref name="t0"/> fires at its next sign change, not at the start.</param>
    /// <param name="options">Method, tolerances, <see cref="SolverOptions.PerSampleSteps"/> and
    /// <see cref="SolverOptions.ThrowOnFailure"/> (<see cref="SolverOptions.Dense"/> does not apply).</param>
    /// <param name="events">Direction, location tolerance, a time limit, the adjoint.</param>
    /// <exception cref="OdeSolverException">A sample had no event by <see cref="EventOptions.MaxTime"/>
    /// (<see cref="OdeFailure.NoEventByMaxTime"/>) or its solve failed, and <see cref="SolverOptions.ThrowOnFailure"/> is
    /// true (the default). With it false, <see cref="OdeEventSolution.Status"/> tells each sample's ending instead.</exception>
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
        var condition = new EventCondition(eventFunction, events.Direction, model);
        bool differentiable = torch.is_grad_enabled();
        // Fixed-step methods take the same steps for every sample: per-sample stepping would change nothing.
        bool perSample = options.PerSampleSteps && stepper.IsAdaptive;
        var outcomes = new SampleOutcomes((int)y0.shape[0], new[] { start });

        using var solveScope = torch.NewDisposeScope();
        Tensor startState = differentiable ? EventGradient.StartTimeShift(dynamics, y0, t0, perSample) : y0;
        EventSolver.Result located;
        using (events.Adjoint ? torch.no_grad() : null)
        {
            Tensor from = events.Adjoint ? startState.detach() : startState;
            if (perSample)
                located = PerSampleEventSolver.Solve(new Dynamics(dynamics, y0), stepper, from, start, condition, options, events, outcomes);
            else
                located = EventSolver.Solve(new Dynamics(dynamics, y0), stepper, from, start, condition, options, events, outcomes);
        }
        OdeStatus[] status = outcomes.EventsFound();
        // Thrown before any gradient work; the solve's tensors go with its scope.
        if (outcomes.FirstFailure is { } failure && options.ThrowOnFailure)
            throw failure;

        Tensor time = located.Time.to(y0.dtype);
        Tensor state = located.State;
        if (differentiable && status.Contains(OdeStatus.Event))
            (time, state) = DifferentiateEvents(dynamics, eventFunction, condition, startState, start, options, events, located, status, model, perSample);

        long[] component = located.Component.cpu().data<long>().ToArray();
        return new OdeEventSolution(time.MoveToOuterDisposeScope(), state.MoveToOuterDisposeScope(), component, located.Stats, condition.Evaluations, status);
    }

    /// <summary>Solves a plain function <c>(t, y) → dy/dt</c> until its events; see the module overload.</summary>
    public static OdeEventSolution SolveEvent(Func<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor t0,
        Func<Tensor, Tensor, Tensor> eventFunction, SolverOptions? options = null, EventOptions? events = null)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        using var module = new DelegateDynamics(dynamics);
        return SolveEvent(module, y0, t0, eventFunction, options, events);
    }

    // The differentiable times and states of the samples that had an event (the others stay NaN, without a graph, so
    // that their NaN cannot reach any gradient): the adjoint's states if asked for, then the implicit-function rerouting.
    private static (Tensor Time, Tensor State) DifferentiateEvents(nn.Module<Tensor, Tensor, Tensor> dynamics, Func<Tensor, Tensor, Tensor> eventFunction,
        EventCondition condition, Tensor startState, double start, SolverOptions options, EventOptions events, EventSolver.Result located,
        OdeStatus[] status, string model, bool perSample)
    {
        Tensor time = located.Time.to(startState.dtype), state = located.State, component = located.Component;
        long[] fired = Enumerable.Range(0, status.Length).Where(b => status[b] == OdeStatus.Event).Select(b => (long)b).ToArray();
        bool all = fired.Length == status.Length;
        Tensor rows = torch.tensor(fired, ScalarType.Int64, startState.device);
        Tensor firedTime = all ? time : time.index_select(0, rows);
        Tensor firedState = all ? state : state.index_select(0, rows);
        Tensor firedComponent = all ? component : component.index_select(0, rows);
        if (events.Adjoint)
        {
            Tensor from = all ? startState : startState.index_select(0, rows);
            firedState = StateByAdjoint(dynamics, from, start, all ? located.Time : located.Time.index_select(0, rows), options);
        }
        (firedTime, firedState) = EventGradient.Reroute(dynamics, eventFunction, condition, firedTime, firedState, firedComponent, model, perSample);
        if (all)
            return (firedTime, firedState);
        return (time.detach().clone().index_put_(firedTime, rows), state.detach().clone().index_put_(firedState, rows));
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
        if (options.Dense)
            throw new ArgumentException("SolveEvent returns the events, not a dense solution: leave Dense off (solve again with Dense up to the event time to get one).", nameof(options));
    }
}
