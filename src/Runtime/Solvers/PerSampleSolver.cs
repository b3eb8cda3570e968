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
        using var run = new Run(f, stepper, y0, ts, options, outcomes);
        return run.Solve();
    }

    /// <summary>One per-sample solve: the running rows (<see cref="PerSampleBatch"/>), each sample's next output, the trajectory.</summary>
    private sealed class Run : IDisposable
    {
        private readonly IStepper stepper;
        private readonly double[] ts;
        private readonly double direction;
        private readonly SampleOutcomes outcomes;
        private readonly PerSampleBatch batch;

        // Per sample (indexed by the sample's row in y0): the index in ts of its next output.
        private readonly int[] next;

        // [T, B, D], in the solve's dispose scope: returned, with zeros where a failed sample never got (NaN later).
        private readonly Tensor ys;

        public Run(Dynamics f, IStepper stepper, Tensor y0, double[] ts, SolverOptions options, SampleOutcomes outcomes)
        {
            this.stepper = stepper;
            this.ts = ts;
            this.outcomes = outcomes;
            direction = Math.Sign(ts[^1] - ts[0]);
            next = Enumerable.Repeat(1, (int)y0.shape[0]).ToArray();

            // The trajectory is written in place as samples reach their output times (autograd records the writes).
            ys = torch.zeros(new long[] { ts.Length, y0.shape[0], y0.shape[1] }, y0.dtype, y0.device);
            using (Tensor first = ys.select(0, 0))
                first.copy_(y0);
            batch = new PerSampleBatch(f, stepper, y0, ts[0], ts[^1], options, outcomes);
        }

        public (Tensor Ys, SolverStats Stats) Solve()
        {
            batch.ChooseFirstSteps();
            while (batch.Active.Count > 0)
                TakeStep();
            return (ys, batch.Stats());
        }

        private void TakeStep()
        {
            using var scope = torch.NewDisposeScope();
            batch.DropFailedBeforeStep(_ => null, OutputsReached);
            if (batch.Active.Count == 0)
                return;

            var attempt = batch.TakeStep(OutputsReached);
            var outputs = new List<(int Row, int Index)>();
            for (int row = 0; row < batch.Active.Count; row++)
            {
                int b = batch.Active[row];
                while (attempt.Accept[row] && next[b] < ts.Length && direction * (ts[next[b]] - batch.Time[b]) <= 0)
                    outputs.Add((row, next[b]++));
            }
            WriteOutputs(outputs, attempt);

            // Finished and failed samples leave the batch.
            var (newY, newSlope) = batch.Advanced(attempt);
            int[] keep = Enumerable.Range(0, batch.Active.Count)
                .Where(row => next[batch.Active[row]] < ts.Length && !outcomes.HasFailed(batch.Active[row])).ToArray();
            batch.Continue(keep, newY, newSlope);
        }

        private int OutputsReached(int sample) => next[sample];

        /// <summary>
        /// Dense output for the requested times the accepted steps covered. A sample can pass several output times
        /// in one step, so the outputs go in rounds: round r evaluates every sample's r-th output of this step.
        /// </summary>
        private void WriteOutputs(List<(int Row, int Index)> outputs, PerSampleBatch.Attempt attempt)
        {
            foreach (var round in outputs.GroupBy(o => o.Row).SelectMany(g => g.Select((o, r) => (o.Row, o.Index, Round: r))).GroupBy(o => o.Round))
            {
                var points = round.Select(o => (o.Row, (ts[o.Index] - attempt.Start[o.Row]) / attempt.H[o.Row])).ToList();
                Tensor values = stepper.InterpolateRows(batch.Y, attempt.Result, points, attempt.H);
                Tensor timeIndex = torch.tensor(round.Select(o => (long)o.Index).ToArray(), ScalarType.Int64, batch.Device);
                Tensor sampleIndex = torch.tensor(round.Select(o => (long)batch.Active[o.Row]).ToArray(), ScalarType.Int64, batch.Device);
                ys.index_put_(values, timeIndex, sampleIndex);
            }
        }

        public void Dispose() => batch.Dispose();
    }
}
