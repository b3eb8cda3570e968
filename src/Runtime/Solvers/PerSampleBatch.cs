using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The running rows of an adaptive solve with a step size per sample (torchode's semantics), the machinery that
/// <see cref="PerSampleSolver"/> and the per-sample event loop share: per sample its time, step, guard and statistics
/// on the host; the rows still running (state, slope, per-row tolerances) on the device, in the order of
/// <see cref="Active"/>; a step attempt with its accept/reject decisions (one host read: the error norms); rows leaving
/// the batch. What a loop does with an accepted step (outputs, events) and when a row is done is the loop's.
/// </summary>
internal sealed class PerSampleBatch : IDisposable
{
    private readonly Dynamics f;
    private readonly IStepper stepper;
    private readonly SolverOptions options;
    private readonly double direction;
    private readonly StepSizeController controller;
    private readonly ErrorNorm norms;
    private readonly SampleOutcomes outcomes;
    private readonly StepGuard[] guards;
    private readonly long[] accepted, rejected, evaluations;
    private bool ownsY;

    /// <summary>
    /// All samples of <paramref name="y0"/> running from <paramref name="t0"/> towards <paramref name="end"/> (forwards
    /// when it is after t0; the guards' messages name it); evaluates the first slopes.
    /// </summary>
    public PerSampleBatch(Dynamics f, IStepper stepper, Tensor y0, double t0, double end, SolverOptions options, SampleOutcomes outcomes)
    {
        this.f = f;
        this.stepper = stepper;
        this.options = options;
        this.outcomes = outcomes;
        direction = end < t0 ? -1 : 1;
        controller = new StepSizeController(options, stepper.Order);
        norms = new ErrorNorm(options, y0, NormGrouping.PerSample);
        DType = y0.dtype;
        Device = y0.device;

        int batch = (int)y0.shape[0];
        Time = Enumerable.Repeat(t0, batch).ToArray();
        Step = new double[batch];
        guards = Enumerable.Range(0, batch).Select(b => new StepGuard(f.Name, options, end, $"Sample {b}: ")).ToArray();
        accepted = new long[batch];
        rejected = new long[batch];
        evaluations = new long[batch];
        Active = Enumerable.Range(0, batch).ToList();
        Y = y0;
        Slope = Evaluate(Times(Time), y0).DetachFromDisposeScope();
    }

    /// <summary>A step attempted by every running row: its result, the rows' steps and start times, which rows accepted.</summary>
    public sealed record Attempt(StepResult Result, double[] H, double[] Start, bool[] Accept, Tensor HRows);

    public ScalarType DType { get; }

    public Device Device { get; }

    /// <summary>Per sample (indexed by its row in y0): the time reached, and the next step (signed).</summary>
    public double[] Time { get; }

    public double[] Step { get; }

    /// <summary>The samples still running, in the order of the rows of <see cref="Y"/> and <see cref="Slope"/>.</summary>
    public List<int> Active { get; private set; }

    /// <summary>The running rows' states (with their graph) and slopes.</summary>
    public Tensor Y { get; private set; }

    public Tensor Slope { get; private set; }

    /// <summary>Steps sample <paramref name="sample"/> has attempted (accepted and rejected).</summary>
    public long Steps(int sample) => accepted[sample] + rejected[sample];

    /// <summary>Whether sample <paramref name="sample"/> has failed (recorded in the outcomes).</summary>
    public bool HasFailed(int sample) => outcomes.HasFailed(sample);

    /// <summary>Every sample's first step: <see cref="SolverOptions.FirstStep"/>, or Hairer's (2 evaluations of the batch).</summary>
    public void ChooseFirstSteps()
    {
        if (options.FirstStep is { } first)
            Array.Fill(Step, direction * controller.Clamp(first));
        else
            Array.Copy(InitialStepSize.SelectPerRow(Evaluate, Time, Y, Slope, stepper.Order - 1, norms, direction, controller), Step, Step.Length);
    }

    /// <summary>
    /// Runs each running sample's guard (and <paramref name="check"/>, the loop's own) before its next step; samples
    /// that fail are recorded, with <paramref name="outputsReached"/> outputs, and leave the batch. Returns the rows
    /// (of <see cref="Active"/> before the call) that stay, or null when all do.
    /// </summary>
    public int[]? DropFailedBeforeStep(Func<int, OdeSolverException?> check, Func<int, int> outputsReached)
    {
        foreach (int b in Active)
        {
            if ((guards[b].BeforeStep(Time[b], Step[b], accepted[b] + rejected[b] + 1) ?? check(b)) is { } failure)
                outcomes.Fail(b, failure, Time[b], outputsReached(b));
        }
        if (!Active.Any(outcomes.HasFailed))
            return null;
        int[] keep = Enumerable.Range(0, Active.Count).Where(row => !outcomes.HasFailed(Active[row])).ToArray();
        Continue(keep, Y, Slope);
        return keep;
    }

    /// <summary>
    /// One step of every running row, in the caller's dispose scope, and the host decisions: accepted rows advance
    /// <see cref="Time"/>, every row gets its next step, rejected rows may fail (recorded, with
    /// <paramref name="outputsReached"/> outputs). The batch's tensors are unchanged until <see cref="Continue"/>.
    /// </summary>
    public Attempt TakeStep(Func<int, int> outputsReached)
    {
        double[] h = Active.Select(b => Step[b]).ToArray();
        double[] start = Active.Select(b => Time[b]).ToArray();
        Tensor hRows = torch.tensor(h, new long[] { h.Length }, DType, Device);
        StepResult result;
        long before = f.Evaluations;
        using (var span = StepSpan.PerSample(Times(start), hRows))
            result = stepper.Step(f, span, Y, Slope);
        CountEvaluationsSince(before);
        double[] norm = norms.ErrorNorms(result.ErrorRate!, Y, result.Y1);

        var accept = new bool[Active.Count];
        for (int row = 0; row < Active.Count; row++)
        {
            int b = Active[row];
            double ratio = Math.Abs(h[row]) * norm[row];
            accept[row] = ratio <= 1;
            if (accept[row])
            {
                accepted[b]++;
                guards[b].Accepted();
                Time[b] = start[row] + h[row];
            }
            else
            {
                rejected[b]++;
                if (guards[b].Rejected(Time[b], h[row], ratio, accepted[b] + rejected[b]) is { } failure)
                    outcomes.Fail(b, failure, Time[b], outputsReached(b));
            }
            Step[b] = direction * controller.Clamp(Math.Abs(controller.Next(h[row], ratio)));
        }
        return new Attempt(result, h, start, accept, hRows);
    }

    /// <summary>The rows' states and slopes after <paramref name="attempt"/>: accepted rows at their step's end (in the caller's scope).</summary>
    public (Tensor Y, Tensor Slope) Advanced(Attempt attempt)
    {
        Tensor mask = torch.tensor(attempt.Accept, device: Device).unsqueeze(1);
        Tensor newY = torch.where(mask, attempt.Result.Y1, Y);
        // First same as last (or, like torchdiffeq's fehlberg2/adaptive_heun, reusing the last stage).
        Tensor newSlope = attempt.Result.NextSlope is { } reused
            ? torch.where(mask, reused, Slope)
            : Evaluate(Times(Active.Select(b => Time[b])), newY);
        return (newY, newSlope);
    }

    /// <summary>
    /// Goes on with the rows <paramref name="keep"/> (of <see cref="Active"/>) of <paramref name="newY"/> and
    /// <paramref name="newSlope"/> (which may be the batch's own), disposing the old tensors (never the caller's y0).
    /// </summary>
    public void Continue(int[] keep, Tensor newY, Tensor newSlope)
    {
        if (keep.Length != Active.Count)
        {
            Tensor rows = RowIndex(keep);
            newY = newY.index_select(0, rows);
            newSlope = newSlope.index_select(0, rows);
            norms.KeepRows(rows);
            Active = keep.Select(r => Active[r]).ToList();
        }
        if (!ReferenceEquals(Y, newY))
        {
            if (ownsY)
                Y.Dispose();
            Y = newY.DetachFromDisposeScope();
            ownsY = true;
        }
        if (!ReferenceEquals(Slope, newSlope))
        {
            Slope.Dispose();
            Slope = newSlope.DetachFromDisposeScope();
        }
    }

    /// <summary>The rows <paramref name="keep"/> of a per-row tensor the loop carries beside the state (in the caller's scope).</summary>
    public Tensor KeepRows(Tensor perRow, int[] keep) =>
        keep.Length == perRow.shape[0] ? perRow : perRow.index_select(0, RowIndex(keep));

    /// <summary>f at per-row <paramref name="times"/>; every running sample takes part in the evaluation.</summary>
    public Tensor Evaluate(Tensor times, Tensor state)
    {
        long before = f.Evaluations;
        Tensor derivative = f.Evaluate(times, state);
        CountEvaluationsSince(before);
        return derivative;
    }

    /// <summary>A <c>[n]</c> tensor of times in the state's dtype and device.</summary>
    public Tensor Times(IEnumerable<double> values)
    {
        double[] host = values.ToArray();
        return torch.tensor(host, new long[] { host.Length }, DType, Device);
    }

    /// <summary>The batch's statistics, with each sample's own.</summary>
    public SolverStats Stats()
    {
        var perSample = Enumerable.Range(0, Time.Length).Select(b => new SolverStats(evaluations[b], accepted[b], rejected[b])).ToArray();
        return new SolverStats(f.Evaluations, accepted.Sum(), rejected.Sum()) { PerSample = perSample };
    }

    private Tensor RowIndex(int[] rows) => torch.tensor(rows.Select(r => (long)r).ToArray(), ScalarType.Int64, Device);

    private void CountEvaluationsSince(long before)
    {
        long count = f.Evaluations - before;
        foreach (int b in Active)
            evaluations[b] += count;
    }

    public void Dispose()
    {
        norms.Dispose();
        if (ownsY)
            Y.Dispose();
        Slope.Dispose();
    }
}
