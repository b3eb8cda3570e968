using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using TorchSharp;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl.Events;

/// <summary>
/// The loop of <see cref="Ode.SolveEvent(nn.Module{Tensor, Tensor, Tensor}, Tensor, Tensor, Func{Tensor, Tensor, Tensor}, SolverOptions?, EventOptions?)"/>:
/// shared adaptive (or fixed) steps forwards from t0 with no end; after each accepted step the event function is
/// evaluated at the step's end, and the samples whose function changed sign get their event located on the step's
/// dense output, are recorded and frozen (<see cref="FrozenRows"/>), so each sample stops at its own event while the
/// others go on. Host synchronisation per step: the error norm (adaptive methods) and one flag, "did any sample
/// cross"; the bisection in a crossing step runs on the device without any. A failure of the shared steps (too many
/// steps, a step size underflow, a non-finite state, MaxTime without an event) ends every sample still running with
/// that status (<see cref="SampleOutcomes"/>); those samples' events are NaN.
/// </summary>
internal static class EventSolver
{
    /// <summary>
    /// The located events: times <c>[B]</c> (float64, constant), states <c>[B, D]</c> (with the solve's graph),
    /// components; NaN times and states (component 0) for the samples without an event.
    /// </summary>
    public sealed record Result(Tensor Time, Tensor State, Tensor Component, SolverStats Stats);

    public static Result Solve(Dynamics f, IStepper stepper, Tensor y0, double t0, EventCondition condition,
        SolverOptions options, EventOptions eventOptions, SampleOutcomes outcomes)
    {
        long batch = y0.shape[0];
        double t = t0;
        long accepted = 0, rejected = 0;
        var guard = new StepGuard(f.Name, options, eventOptions.MaxTime);
        using var norm = stepper.IsAdaptive ? new ErrorNorm(options, y0, NormGrouping.WholeBatch) : null;
        var controller = new StepSizeController(options, stepper.Order);
        using var state = new SolverState(y0);
        using var record = new EventRecord(y0);
        // Samples that fired are frozen like failed ones in the adaptive loop: zero derivative, error norm rescaled.
        using var frozen = new FrozenRows(y0);

        state.Advance(y0, f.Evaluate(t, y0));
        Tensor gStart;
        using (torch.no_grad())
            gStart = condition.Evaluate(t, y0).DetachFromDisposeScope();
        double h = stepper.IsAdaptive
            ? controller.Clamp(options.FirstStep ?? InitialStepSize.Select(f, t, y0, state.F!, stepper.Order - 1, norm!, 1.0))
            : options.StepSize!.Value;

        try
        {
            bool done = false;
            while (!done)
            {
                long step = accepted + rejected + 1;
                OdeSolverException? failure = guard.BeforeStep(t, h, step);
                if (failure is null && t >= eventOptions.MaxTime)
                    failure = new OdeSolverException(OdeFailure.NoEventByMaxTime, f.Name, t, step, string.Format(CultureInfo.InvariantCulture,
                        "{0} of {1} samples had no event by MaxTime = {2:G9}.", batch - frozen.Count, batch, eventOptions.MaxTime));
                if (failure is not null)
                {
                    FailRunning(record, outcomes, failure, t);
                    break;
                }

                double ratio = 0;
                using (torch.NewDisposeScope())
                using (var span = StepSpan.Shared(t, h))
                {
                    StepResult result = stepper.Step(f, span, state.Y, state.F!);
                    if (norm is not null)
                        ratio = Math.Abs(h) * norm.ErrorNorms(result.ErrorRate!, state.Y, result.Y1)[0] * frozen.Dilution;
                    if (ratio <= 1)
                    {
                        double t1 = t + h;
                        Tensor f1 = result.NextSlope ?? f.Evaluate(t1, result.Y1);
                        Tensor gEnd;
                        Tensor crossed;
                        using (torch.no_grad())
                        {
                            gEnd = condition.Evaluate(t1, result.Y1);
                            crossed = condition.Crossed(gStart, gEnd).any(1).logical_and(record.Fired.logical_not());
                        }
                        if (crossed.any().item<bool>())
                        {
                            Tensor polynomial = stepper.Polynomial(state.Y, result, h, result.Y1, f1);
                            Tensor theta, component;
                            using (torch.no_grad())
                                (theta, component) = condition.Locate(polynomial, t, h, gStart, eventOptions.TimeTolerance);
                            Tensor at = Solvers.Dense.StepPolynomial.EvaluateRows(polynomial, theta.to(y0.dtype));
                            record.Add(crossed, theta.Times(h).PlusNumber(t), at, component);
                            frozen.Add(Rows(crossed));
                            f.Frozen = frozen;
                            f1 = frozen.Apply(f1);
                            done = frozen.Count == batch;
                        }
                        state.Advance(result.Y1, f1);
                        gStart.Dispose();
                        gStart = gEnd.DetachFromDisposeScope();
                        t = t1;
                    }
                }

                if (ratio <= 1)
                {
                    accepted++;
                    guard.Accepted();
                }
                else
                {
                    rejected++;
                    if (guard.Rejected(t, h, ratio, step) is { } rejection)
                    {
                        FailRunning(record, outcomes, rejection, t);
                        break;
                    }
                }
                if (stepper.IsAdaptive)
                    h = controller.Clamp(Math.Abs(controller.Next(h, ratio)));
            }
        }
        finally
        {
            gStart.Dispose();
            f.Frozen = null;
        }
        var (eventTime, eventState, eventComponent) = record.Take();
        return new Result(eventTime, eventState, eventComponent, new SolverStats(f.Evaluations, accepted, rejected));
    }

    /// <summary>The rows of a <c>[B]</c> bool tensor that are true (a host read, on crossing steps only).</summary>
    private static IEnumerable<int> Rows(Tensor crossed)
    {
        using Tensor indices = torch.nonzero(crossed).flatten().cpu();
        return indices.data<long>().ToArray().Select(i => (int)i).ToArray();
    }

    /// <summary>The shared steps cannot go on: every sample without an event ends with <paramref name="failure"/>.</summary>
    private static void FailRunning(EventRecord record, SampleOutcomes outcomes, OdeSolverException failure, double t)
    {
        bool[] fired = record.FiredOnHost();
        for (int b = 0; b < fired.Length; b++)
            if (!fired[b])
                outcomes.Fail(b, failure, t, 0);
    }

    /// <summary>The events found so far, kept outside the per-step dispose scopes.</summary>
    private sealed class EventRecord : IDisposable
    {
        private Tensor time, state, component, fired;

        public EventRecord(Tensor y0)
        {
            long batch = y0.shape[0];
            using Scalar nan = double.NaN.ToScalar();   // rooted: an implicit Scalar could be freed mid-call
            time = torch.full(new[] { batch }, nan, ScalarType.Float64, y0.device).DetachFromDisposeScope();
            state = torch.full_like(y0, nan).DetachFromDisposeScope();
            component = torch.zeros(new[] { batch }, ScalarType.Int64, y0.device).DetachFromDisposeScope();
            fired = torch.zeros(new[] { batch }, ScalarType.Bool, y0.device).DetachFromDisposeScope();
        }

        /// <summary><c>[B]</c> bool: the samples whose event has been found.</summary>
        public Tensor Fired => fired;

        /// <summary>Records the rows of <paramref name="rows"/> (<c>[B]</c> bool).</summary>
        public void Add(Tensor rows, Tensor eventTime, Tensor eventState, Tensor eventComponent)
        {
            Replace(ref time, torch.where(rows, eventTime, time));
            Replace(ref state, torch.where(rows.unsqueeze(1), eventState, state));
            Replace(ref component, torch.where(rows, eventComponent, component));
            Replace(ref fired, fired.logical_or(rows));
        }

        public bool[] FiredOnHost()
        {
            using Tensor host = fired.cpu();
            return host.data<bool>().ToArray();
        }

        /// <summary>Copies of the records in the caller's dispose scope (the state keeps its graph).</summary>
        public (Tensor Time, Tensor State, Tensor Component) Take() => (time.clone(), state.clone(), component.clone());

        private static void Replace(ref Tensor field, Tensor value)
        {
            field.Dispose();
            field = value.DetachFromDisposeScope();
        }

        public void Dispose()
        {
            time.Dispose();
            state.Dispose();
            component.Dispose();
            fired.Dispose();
        }
    }
}
