using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// Adaptive Runge–Kutta with a step size per sample (torchode's semantics): each sample has its own time, step,
/// error norm, accept/reject decision and statistics, so a stiff or fast sample no longer slows the others. The
/// batch is still stepped as one tensor — samples that finished leave it, so they stop costing work — and the
/// dynamics receive a <c>[B]</c> tensor of per-sample times. The one host synchronisation per step reads the
/// samples' error ratios; every other decision is host arithmetic in double precision. A sample that cannot finish is
/// recorded as failed (<see cref="SampleOutcomes"/>) and leaves the batch like a finished one; the others go on.
/// </summary>
internal static class PerSampleSolver
{
    public static (Tensor Ys, SolverStats Stats) Solve(Dynamics f, IStepper stepper, Tensor y0, double[] ts, SolverOptions options,
        SampleOutcomes outcomes)
    {
        var run = new Run(f, stepper, y0, ts, options, outcomes);
        try
        {
            return run.Solve();
        }
        finally
        {
            run.Dispose();
        }
    }

    /// <summary>The state of one per-sample solve: host bookkeeping per sample, and the active rows on the device.</summary>
    private sealed class Run : IDisposable
    {
        private readonly Dynamics f;
        private readonly IStepper stepper;
        private readonly double[] ts;
        private readonly SolverOptions options;
        private readonly double direction;
        private readonly StepSizeController controller;
        private readonly ErrorNorm norms;
        private readonly ScalarType dtype;
        private readonly Device device;
        private readonly SampleOutcomes outcomes;

        // Per sample (indexed by the sample's row in y0).
        private readonly double[] time, step;
        private readonly int[] next;
        private readonly StepGuard[] guards;
        private readonly long[] accepted, rejected, evaluations;

        // The samples still integrating, in the order of the rows of `y` and `slope`.
        private List<int> active;
        private Tensor y, slope;
        private bool ownsY;

        // [T, B, D], in the solve's dispose scope: returned, with zeros where a failed sample never got (NaN later).
        private readonly Tensor ys;

        public Run(Dynamics f, IStepper stepper, Tensor y0, double[] ts, SolverOptions options, SampleOutcomes outcomes)
        {
            this.outcomes = outcomes;
            this.f = f;
            this.stepper = stepper;
            this.ts = ts;
            this.options = options;
            direction = Math.Sign(ts[^1] - ts[0]);
            controller = new StepSizeController(options, stepper.Order);
            norms = new ErrorNorm(options, y0, NormGrouping.PerSample);
            dtype = y0.dtype;
            device = y0.device;

            int batch = (int)y0.shape[0];
            time = Enumerable.Repeat(ts[0], batch).ToArray();
            step = new double[batch];
            next = Enumerable.Repeat(1, batch).ToArray();
            guards = Enumerable.Range(0, batch).Select(b => new StepGuard(f.Name, options, ts[^1], $"Sample {b}: ")).ToArray();
            accepted = new long[batch];
            rejected = new long[batch];
            evaluations = new long[batch];
            active = Enumerable.Range(0, batch).ToList();

            // The trajectory is written in place as samples reach their output times (autograd records the writes).
            ys = torch.zeros(new long[] { ts.Length, batch, y0.shape[1] }, dtype, device);
            using (Tensor first = ys.select(0, 0))
                first.copy_(y0);
            y = y0;
            slope = Evaluate(Times(time), y0).DetachFromDisposeScope();
        }

        public (Tensor Ys, SolverStats Stats) Solve()
        {
            ChooseFirstSteps();
            while (active.Count > 0)
                TakeStep();

            var perSample = Enumerable.Range(0, time.Length)
                .Select(b => new SolverStats(evaluations[b], accepted[b], rejected[b])).ToArray();
            var stats = new SolverStats(f.Evaluations, accepted.Sum(), rejected.Sum()) { PerSample = perSample };
            return (ys, stats);
        }

        /// <summary>Hairer's initial step for every sample at once (2 evaluations of the batch).</summary>
        private void ChooseFirstSteps()
        {
            if (options.FirstStep is { } first)
            {
                Array.Fill(step, direction * controller.Clamp(first));
                return;
            }
            double[] steps = InitialStepSize.SelectPerRow(Evaluate, time, y, slope, stepper.Order - 1, norms, direction, controller);
            Array.Copy(steps, step, steps.Length);
        }

        private void TakeStep()
        {
            using var scope = torch.NewDisposeScope();
            foreach (int b in active)
            {
                if (guards[b].BeforeStep(time[b], step[b], accepted[b] + rejected[b] + 1) is { } failure)
                    outcomes.Fail(b, failure, time[b], next[b]);
            }
            if (active.Any(outcomes.HasFailed))
            {
                Tensor keptY = y, keptSlope = slope;
                KeepRows(Enumerable.Range(0, active.Count).Where(row => !outcomes.HasFailed(active[row])).ToArray(), ref keptY, ref keptSlope);
                Replace(keptY.DetachFromDisposeScope(), keptSlope.DetachFromDisposeScope());
                if (active.Count == 0)
                    return;
            }

            double[] h = active.Select(b => step[b]).ToArray();
            double[] start = active.Select(b => time[b]).ToArray();
            StepResult result;
            long before = f.Evaluations;
            using (var span = StepSpan.PerSample(Times(start), torch.tensor(h, new long[] { h.Length }, dtype, device)))
                result = stepper.Step(f, span, y, slope);
            CountEvaluationsSince(before);
            double[] norm = norms.ErrorNorms(result.ErrorRate!, y, result.Y1);

            // Host decisions, one sample at a time.
            var accept = new bool[active.Count];
            var outputs = new List<(int Row, int Index)>();
            for (int row = 0; row < active.Count; row++)
            {
                int b = active[row];
                double ratio = Math.Abs(h[row]) * norm[row];
                accept[row] = ratio <= 1;
                if (accept[row])
                {
                    accepted[b]++;
                    guards[b].Accepted();
                    double t1 = time[b] + h[row];
                    while (next[b] < ts.Length && direction * (ts[next[b]] - t1) <= 0)
                        outputs.Add((row, next[b]++));
                    time[b] = t1;
                }
                else
                {
                    rejected[b]++;
                    if (guards[b].Rejected(time[b], h[row], ratio, accepted[b] + rejected[b]) is { } failure)
                        outcomes.Fail(b, failure, time[b], next[b]);
                }
                step[b] = direction * controller.Clamp(Math.Abs(controller.Next(h[row], ratio)));
            }

            WriteOutputs(outputs, h, start, result);
            Advance(accept, result);
        }

        /// <summary>
        /// Dense output for the requested times the accepted steps covered. A sample can pass several output times
        /// in one step, so the outputs go in rounds: round r evaluates every sample's r-th output of this step.
        /// </summary>
        private void WriteOutputs(List<(int Row, int Index)> outputs, double[] h, double[] start, StepResult result)
        {
            foreach (var round in outputs.GroupBy(o => o.Row).SelectMany(g => g.Select((o, r) => (o.Row, o.Index, Round: r))).GroupBy(o => o.Round))
            {
                var points = round.Select(o => (o.Row, (ts[o.Index] - start[o.Row]) / h[o.Row])).ToList();
                Tensor values = stepper.InterpolateRows(y, result, points, h);
                Tensor timeIndex = torch.tensor(round.Select(o => (long)o.Index).ToArray(), ScalarType.Int64, device);
                Tensor sampleIndex = torch.tensor(round.Select(o => (long)active[o.Row]).ToArray(), ScalarType.Int64, device);
                ys.index_put_(values, timeIndex, sampleIndex);
            }
        }

        /// <summary>Accepted samples take their new state; finished and failed samples leave the batch.</summary>
        private void Advance(bool[] accept, StepResult result)
        {
            Tensor mask = torch.tensor(accept, device: device).unsqueeze(1);
            Tensor newY = torch.where(mask, result.Y1, y);
            // First same as last (or, like torchdiffeq's fehlberg2/adaptive_heun, reusing the last stage).
            Tensor newSlope = result.NextSlope is { } reused
                ? torch.where(mask, reused, slope)
                : Evaluate(Times(active.Select(b => time[b])), newY);

            var keep = Enumerable.Range(0, active.Count)
                .Where(row => next[active[row]] < ts.Length && !outcomes.HasFailed(active[row])).ToArray();
            KeepRows(keep, ref newY, ref newSlope);
            Replace(newY.DetachFromDisposeScope(), newSlope.DetachFromDisposeScope());
        }

        /// <summary>
        /// Narrows <paramref name="state"/>, <paramref name="derivative"/> (new tensors in the caller's scope), the
        /// per-row tolerances and the active samples to the rows <paramref name="keep"/>; nothing when all stay.
        /// </summary>
        private void KeepRows(int[] keep, ref Tensor state, ref Tensor derivative)
        {
            if (keep.Length == active.Count)
                return;
            Tensor rows = torch.tensor(keep.Select(r => (long)r).ToArray(), ScalarType.Int64, device);
            state = state.index_select(0, rows);
            derivative = derivative.index_select(0, rows);
            norms.KeepRows(rows);
            active = keep.Select(r => active[r]).ToList();
        }

        /// <summary>Carries the new state and slope to the next step, disposing the old ones (never the caller's y0).</summary>
        private void Replace(Tensor newY, Tensor newSlope)
        {
            if (ownsY)
                y.Dispose();
            slope.Dispose();
            y = newY;
            slope = newSlope;
            ownsY = true;
        }

        private Tensor Evaluate(Tensor times, Tensor state)
        {
            long before = f.Evaluations;
            Tensor derivative = f.Evaluate(times, state);
            CountEvaluationsSince(before);
            return derivative;
        }

        /// <summary>Every sample still integrating took part in each evaluation of the batch since <paramref name="before"/>.</summary>
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
        }
    }
}
