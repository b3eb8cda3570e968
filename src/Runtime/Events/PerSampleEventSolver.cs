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
/// The event loop with a step size per sample (<see cref="SolverOptions.PerSampleSteps"/>, torchode's semantics; the
/// rows and their steps are <see cref="PerSampleBatch"/>, as for <see cref="PerSampleSolver"/>): each sample has its own time, step, error norm and accept/reject decision, and the
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

    /// <summary>One per-sample event solve: the running rows (<see cref="PerSampleBatch"/>), their g, the events found.</summary>
    private sealed class Run : IDisposable
    {
        private readonly IStepper stepper;
        private readonly EventCondition condition;
        private readonly EventOptions eventOptions;
        private readonly string model;
        private readonly PerSampleBatch batch;
        private readonly int samples;
        private readonly long width;

        // g at the running rows' current points, in the order of batch.Active (no graph).
        private Tensor g;

        // The events found, one entry per step that had any: sample indices, times (float64), states (with their graph), components.
        private readonly List<(Tensor Samples, Tensor Time, Tensor State, Tensor Component)> found = new();

        public Run(Dynamics f, IStepper stepper, Tensor y0, double t0, EventCondition condition, SolverOptions options,
            EventOptions eventOptions, SampleOutcomes outcomes)
        {
            this.stepper = stepper;
            this.condition = condition;
            this.eventOptions = eventOptions;
            model = f.Name;
            samples = (int)y0.shape[0];
            width = y0.shape[1];
            batch = new PerSampleBatch(f, stepper, y0, t0, eventOptions.MaxTime, options, outcomes);
            using (torch.no_grad())
            using (Tensor times = batch.Times(batch.Time))
                g = condition.Evaluate(times, y0).DetachFromDisposeScope();
        }

        public EventSolver.Result Solve()
        {
            batch.ChooseFirstSteps();
            while (batch.Active.Count > 0)
                TakeStep();
            var (eventTime, eventState, eventComponent) = Gather();
            return new EventSolver.Result(eventTime, eventState, eventComponent, batch.Stats());
        }

        private void TakeStep()
        {
            using var scope = torch.NewDisposeScope();
            if (batch.DropFailedBeforeStep(PastMaxTime, NoOutputs) is { } stay)
                ReplaceG(batch.KeepRows(g, stay));
            if (batch.Active.Count == 0)
                return;

            var attempt = batch.TakeStep(NoOutputs);
            var (newY, newSlope) = batch.Advanced(attempt);
            Tensor mask = torch.tensor(attempt.Accept, device: batch.Device);
            Tensor newG, crossed;
            using (torch.no_grad())
            {
                Tensor newTimes = batch.Times(batch.Active.Select(b => batch.Time[b]));
                newG = torch.where(mask.unsqueeze(1), condition.Evaluate(newTimes, newY), g);
                crossed = condition.Crossed(g, newG).any(1).logical_and(mask);
            }
            // The one read besides the error norms: which rows crossed (none can without an accepted step).
            bool[] fired = attempt.Accept.Any(a => a) ? crossed.cpu().data<bool>().ToArray() : attempt.Accept;
            if (fired.Any(x => x))
                Locate(fired, attempt, newSlope);

            // Rows that fired or failed leave the batch.
            int[] keep = Enumerable.Range(0, batch.Active.Count)
                .Where(row => !fired[row] && !batch.HasFailed(batch.Active[row])).ToArray();
            ReplaceG(batch.KeepRows(newG, keep));
            batch.Continue(keep, newY, newSlope);
        }

        // A sample still without an event at MaxTime stops there (a failure only if ThrowOnFailure says so).
        private OdeSolverException? PastMaxTime(int sample) =>
            batch.Time[sample] >= eventOptions.MaxTime
                ? new OdeSolverException(OdeFailure.NoEventByMaxTime, model, batch.Time[sample], batch.Steps(sample) + 1,
                    string.Format(CultureInfo.InvariantCulture, "Sample {0}: no event by MaxTime = {1:G9}.", sample, eventOptions.MaxTime))
                : null;

        private static int NoOutputs(int sample) => 0;

        /// <summary>Locates the events of the rows that <paramref name="fired"/> on their own step's dense output, and records them.</summary>
        private void Locate(bool[] fired, PerSampleBatch.Attempt attempt, Tensor newSlope)
        {
            int[] rows = Enumerable.Range(0, fired.Length).Where(row => fired[row]).ToArray();
            Tensor index = torch.tensor(rows.Select(r => (long)r).ToArray(), ScalarType.Int64, batch.Device);
            // newSlope is f(t1, y1) on the accepted rows, which the Hermite interpolant of a method without dense output needs.
            Tensor polynomial = stepper.PolynomialRows(batch.Y, attempt.Result, attempt.HRows, attempt.Result.Y1, newSlope).index_select(1, index);
            Tensor startRows = torch.tensor(rows.Select(r => attempt.Start[r]).ToArray(), ScalarType.Float64, batch.Device);
            Tensor stepRows = torch.tensor(rows.Select(r => attempt.H[r]).ToArray(), ScalarType.Float64, batch.Device);
            double longest = rows.Max(r => Math.Abs(attempt.H[r]));
            Tensor theta, component;
            using (torch.no_grad())
                (theta, component) = condition.Locate(polynomial, startRows, stepRows, longest, g.index_select(0, index), eventOptions.TimeTolerance);
            Tensor state = StepPolynomial.EvaluateRows(polynomial, theta.to(batch.DType));
            Tensor eventTime = theta.mul(stepRows).Plus(startRows);
            Tensor sampleIndex = torch.tensor(rows.Select(r => (long)batch.Active[r]).ToArray(), ScalarType.Int64, batch.Device);
            found.Add((sampleIndex.DetachFromDisposeScope(), eventTime.DetachFromDisposeScope(), state.DetachFromDisposeScope(), component.DetachFromDisposeScope()));
        }

        /// <summary>Every sample's event in its row; NaN (component 0) for the samples without one. In the caller's scope.</summary>
        private (Tensor Time, Tensor State, Tensor Component) Gather()
        {
            using Scalar nan = double.NaN.ToScalar();
            Tensor eventTime = torch.full(new long[] { samples }, nan, ScalarType.Float64, batch.Device);
            Tensor eventState = torch.full(new long[] { samples, width }, nan, batch.DType, batch.Device);
            Tensor eventComponent = torch.zeros(new long[] { samples }, ScalarType.Int64, batch.Device);
            foreach (var (rows, t, state, component) in found)
            {
                eventTime.index_put_(t, rows);
                eventState.index_put_(state, rows);   // autograd records the write: the states keep their graph
                eventComponent.index_put_(component, rows);
            }
            return (eventTime, eventState, eventComponent);
        }

        private void ReplaceG(Tensor newG)
        {
            if (ReferenceEquals(newG, g))
                return;
            g.Dispose();
            g = newG.DetachFromDisposeScope();
        }

        public void Dispose()
        {
            batch.Dispose();
            g.Dispose();
            foreach (var (rows, t, state, component) in found)
            {
                rows.Dispose();
                t.Dispose();
                state.Dispose();
                component.Dispose();
            }
        }
    }
}
