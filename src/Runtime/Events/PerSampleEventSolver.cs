using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using OdeDsl.Solvers;
using OdeDsl.Solvers.Dense;
using static TorchSharp.torch;

namespace OdeDsl.Events;

/// <summary>
/// The event loop with a step size per sample (<see cref="SolverOptions.PerSampleSteps"/>, torchode's semantics, as
/// <see cref="PerSampleSolver"/>): each sample has its own time, step, error norm and accept/reject decision, and the
/// dynamics and the event function receive a <c>[B]</c> tensor of the running rows' times. After each step g is
/// evaluated at every accepted row's new (t1, y1); the rows that crossed get their event located by bisection on their
/// own step's dense output and leave the batch, as do the rows that failed (<see cref="SampleOutcomes"/>). So each
/// sample's event is the one it would get if solved alone. Host synchronisation per step: the error norms and the
/// rows' crossing flags.
/// </summary>
internal static class PerSampleEventSolver
{
    public static EventSolver.Result Solve(Dynamics f, IStepper stepper, Tensor y0, double t0, EventCondition condition,
        SolverOptions options, EventOptions eventOptions, SampleOutcomes outcomes)
    {
        using var run = new Run(f, stepper, y0, t0, condition, options, eventOptions, outcomes);
        return run.Solve();
    }

    private sealed class Run : IDisposable
    {
        private readonly Dynamics f;
        private readonly IStepper stepper;
        private readonly EventCondition condition;
        private readonly EventOptions eventOptions;
        private readonly StepSizeController controller;
        private readonly ErrorNorm norms;
        private readonly SampleOutcomes outcomes;
        private readonly ScalarType dtype;
        private readonly Device device;
        private readonly int batch;

        // Per sample (indexed by the sample's row in y0).
        private readonly double[] time, step;
        private readonly StepGuard[] guards;
        private readonly long[] accepted, rejected, evaluations;

        // The samples still looking for their event, in the order of the rows of `y`, `slope` and `g`.
        private List<int> active;
        private Tensor y, slope, g;
        private bool ownsY;

        // The events found, one entry per step that had any: sample indices, times (float64), states (with their graph), components.
        private readonly List<(Tensor Samples, Tensor Time, Tensor State, Tensor Component)> found = new();

        public Run(Dynamics f, IStepper stepper, Tensor y0, double t0, EventCondition condition, SolverOptions options,
            EventOptions eventOptions, SampleOutcomes outcomes)
        {
            this.f = f;
            this.stepper = stepper;
            this.condition = condition;
            this.eventOptions = eventOptions;
            this.outcomes = outcomes;
            controller = new StepSizeController(options, stepper.Order);
            norms = new ErrorNorm(options, y0, NormGrouping.PerSample);
            dtype = y0.dtype;
            device = y0.device;
            batch = (int)y0.shape[0];

            time = Enumerable.Repeat(t0, batch).ToArray();
            step = new double[batch];
            guards = Enumerable.Range(0, batch).Select(b => new StepGuard(f.Name, options, eventOptions.MaxTime, $"Sample {b}: ")).ToArray();
            accepted = new long[batch];
            rejected = new long[batch];
            evaluations = new long[batch];
            active = Enumerable.Range(0, batch).ToList();

            y = y0;
            slope = Evaluate(Times(time), y0).DetachFromDisposeScope();
            using (torch.no_grad())
                g = condition.Evaluate(Times(time), y0).DetachFromDisposeScope();
            if (options.FirstStep is { } first)
                Array.Fill(step, controller.Clamp(first));
            else
            {
                double[] steps = InitialStepSize.SelectPerRow(Evaluate, time, y, slope, stepper.Order - 1, norms, 1.0, controller);
                Array.Copy(steps, step, batch);
            }
        }

        public EventSolver.Result Solve()
        {
            while (active.Count > 0)
                TakeStep();

            var perSample = Enumerable.Range(0, batch).Select(b => new SolverStats(evaluations[b], accepted[b], rejected[b])).ToArray();
            var stats = new SolverStats(f.Evaluations, accepted.Sum(), rejected.Sum()) { PerSample = perSample };
            var (eventTime, eventState, eventComponent) = Gather();
            return new EventSolver.Result(eventTime, eventState, eventComponent, stats);
        }

        private void TakeStep()
        {
            using var scope = torch.NewDisposeScope();
            foreach (int b in active)
            {
                OdeSolverException? failure = guards[b].BeforeStep(time[b], step[b], accepted[b] + rejected[b] + 1);
                if (failure is null && time[b] >= eventOptions.MaxTime)
                    failure = new OdeSolverException(OdeFailure.NoEventByMaxTime, f.Name, time[b], accepted[b] + rejected[b] + 1,
                        string.Format(CultureInfo.InvariantCulture, "Sample {0}: no event by MaxTime = {1:G9}.", b, eventOptions.MaxTime));
                if (failure is not null)
                    outcomes.Fail(b, failure, time[b], 0);
            }
            if (active.Any(outcomes.HasFailed))
            {
                Tensor keptY = y, keptSlope = slope, keptG = g;
                KeepRows(Enumerable.Range(0, active.Count).Where(row => !outcomes.HasFailed(active[row])).ToArray(), ref keptY, ref keptSlope, ref keptG);
                Replace(keptY, keptSlope, keptG);
                if (active.Count == 0)
                    return;
            }

            double[] h = active.Select(b => step[b]).ToArray();
            double[] start = active.Select(b => time[b]).ToArray();
            Tensor hRows = torch.tensor(h, new long[] { h.Length }, dtype, device);
            StepResult result;
            long before = f.Evaluations;
            using (var span = StepSpan.PerSample(Times(start), hRows))
                result = stepper.Step(f, span, y, slope);
            CountEvaluationsSince(before);
            double[] norm = norms.ErrorNorms(result.ErrorRate!, y, result.Y1);

            // Host decisions, one sample at a time.
            var accept = new bool[active.Count];
            for (int row = 0; row < active.Count; row++)
            {
                int b = active[row];
                double ratio = Math.Abs(h[row]) * norm[row];
                accept[row] = ratio <= 1;
                if (accept[row])
                {
                    accepted[b]++;
                    guards[b].Accepted();
                    time[b] = start[row] + h[row];
                }
                else
                {
                    rejected[b]++;
                    if (guards[b].Rejected(time[b], h[row], ratio, accepted[b] + rejected[b]) is { } failure)
                        outcomes.Fail(b, failure, time[b], 0);
                }
                step[b] = controller.Clamp(Math.Abs(controller.Next(h[row], ratio)));
            }

            Tensor mask = torch.tensor(accept, device: device);
            Tensor newY = torch.where(mask.unsqueeze(1), result.Y1, y);
            Tensor newTimes = Times(active.Select(b => time[b]));
            // First same as last (or the last stage reused); otherwise f at the new points, which Hermite needs too.
            Tensor newSlope = result.NextSlope is { } reused ? torch.where(mask.unsqueeze(1), reused, slope) : Evaluate(newTimes, newY);
            Tensor newG, crossed;
            using (torch.no_grad())
            {
                newG = torch.where(mask.unsqueeze(1), condition.Evaluate(newTimes, newY), g);
                crossed = condition.Crossed(g, newG).any(1).logical_and(mask);
            }
            bool[] fired = accept.Any(a => a) ? crossed.cpu().data<bool>().ToArray() : accept;
            if (fired.Any(x => x))
                Locate(fired, result, hRows, newSlope, h, start);

            int[] keep = Enumerable.Range(0, active.Count).Where(row => !fired[row] && !outcomes.HasFailed(active[row])).ToArray();
            KeepRows(keep, ref newY, ref newSlope, ref newG);
            Replace(newY, newSlope, newG);
        }

        /// <summary>Locates the events of the rows that <paramref name="fired"/> on their own step's dense output, and records them.</summary>
        private void Locate(bool[] fired, StepResult result, Tensor hRows, Tensor newSlope, double[] h, double[] start)
        {
            int[] rows = Enumerable.Range(0, fired.Length).Where(row => fired[row]).ToArray();
            Tensor index = torch.tensor(rows.Select(r => (long)r).ToArray(), ScalarType.Int64, device);
            Tensor polynomial = stepper.PolynomialRows(y, result, hRows, result.Y1, newSlope).index_select(1, index);
            Tensor startRows = torch.tensor(rows.Select(r => start[r]).ToArray(), ScalarType.Float64, device);
            Tensor stepRows = torch.tensor(rows.Select(r => h[r]).ToArray(), ScalarType.Float64, device);
            double longest = rows.Max(r => Math.Abs(h[r]));
            Tensor theta, component;
            using (torch.no_grad())
                (theta, component) = condition.Locate(polynomial, startRows, stepRows, longest, g.index_select(0, index), eventOptions.TimeTolerance);
            Tensor state = StepPolynomial.EvaluateRows(polynomial, theta.to(dtype));
            Tensor eventTime = theta.mul(stepRows).Plus(startRows);
            Tensor samples = torch.tensor(rows.Select(r => (long)active[r]).ToArray(), ScalarType.Int64, device);
            found.Add((samples.DetachFromDisposeScope(), eventTime.DetachFromDisposeScope(), state.DetachFromDisposeScope(), component.DetachFromDisposeScope()));
        }

        /// <summary>Every sample's event in its row; NaN (component 0) for the samples without one. In the caller's scope.</summary>
        private (Tensor Time, Tensor State, Tensor Component) Gather()
        {
            using Scalar nan = double.NaN.ToScalar();
            Tensor eventTime = torch.full(new long[] { batch }, nan, ScalarType.Float64, device);
            Tensor eventState = torch.full(new long[] { batch, y.shape[1] }, nan, dtype, device);
            Tensor eventComponent = torch.zeros(new long[] { batch }, ScalarType.Int64, device);
            foreach (var (samples, t, state, component) in found)
            {
                eventTime.index_put_(t, samples);
                eventState.index_put_(state, samples);   // autograd records the write: the states keep their graph
                eventComponent.index_put_(component, samples);
            }
            return (eventTime, eventState, eventComponent);
        }

        /// <summary>Narrows the running tensors (new tensors in the caller's scope), the norms' rows and the active samples to <paramref name="keep"/>.</summary>
        private void KeepRows(int[] keep, ref Tensor state, ref Tensor derivative, ref Tensor eventValues)
        {
            if (keep.Length == active.Count)
                return;
            Tensor rows = torch.tensor(keep.Select(r => (long)r).ToArray(), ScalarType.Int64, device);
            state = state.index_select(0, rows);
            derivative = derivative.index_select(0, rows);
            eventValues = eventValues.index_select(0, rows);
            norms.KeepRows(rows);
            active = keep.Select(r => active[r]).ToList();
        }

        /// <summary>Carries the new state, slope and g to the next step, disposing the old ones (never the caller's y0).</summary>
        private void Replace(Tensor newY, Tensor newSlope, Tensor newG)
        {
            newY.DetachFromDisposeScope();
            newSlope.DetachFromDisposeScope();
            newG.DetachFromDisposeScope();
            if (ownsY)
                y.Dispose();
            slope.Dispose();
            g.Dispose();
            y = newY;
            slope = newSlope;
            g = newG;
            ownsY = true;
        }

        private Tensor Evaluate(Tensor times, Tensor state)
        {
            long before = f.Evaluations;
            Tensor derivative = f.Evaluate(times, state);
            CountEvaluationsSince(before);
            return derivative;
        }

        /// <summary>Every sample still running took part in each evaluation of the batch since <paramref name="before"/>.</summary>
        private void CountEvaluationsSince(long before)
        {
            long count = f.Evaluations - before;
            foreach (int b in active)
                evaluations[b] += count;
        }

        private Tensor Times(IEnumerable<double> values)
        {
            double[] host = values.ToArray();
            return torch.tensor(host, new long[] { host.Length }, dtype, device);
        }

        public void Dispose()
        {
            norms.Dispose();
            if (ownsY)
                y.Dispose();
            slope.Dispose();
            g.Dispose();
            foreach (var (samples, t, state, component) in found)
            {
                samples.Dispose();
                t.Dispose();
                component.Dispose();
                state.Dispose();
            }
        }
    }
}
