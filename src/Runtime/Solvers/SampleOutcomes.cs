using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// How each sample of one solve ended and how far it got. The loops record a failure per sample here instead of
/// throwing (the <see cref="OdeSolverException"/> is built when the failure happens, thrown or not by the caller
/// according to <see cref="SolverOptions.ThrowOnFailure"/>), so that the other samples' results survive. Host arrays.
/// </summary>
internal sealed class SampleOutcomes
{
    private readonly double[] ts;
    private readonly int[] outputsReached;

    /// <param name="samples">The batch size.</param>
    /// <param name="ts">The requested times: every sample reaches all of them until it fails.</param>
    public SampleOutcomes(int samples, double[] ts)
    {
        this.ts = ts;
        Status = new OdeStatus[samples];
        TimeReached = Enumerable.Repeat(ts[^1], samples).ToArray();
        outputsReached = Enumerable.Repeat(ts.Length, samples).ToArray();
    }

    /// <summary>Per sample: <see cref="OdeStatus.Success"/> until it fails.</summary>
    public OdeStatus[] Status { get; }

    /// <summary>Per sample: the last requested time for a success, otherwise the time its solution had reached.</summary>
    public double[] TimeReached { get; }

    /// <summary>The first failure recorded, the one <see cref="Ode.Solve(nn.Module{Tensor, Tensor, Tensor}, Tensor, Tensor, SolverOptions?)"/> throws.</summary>
    public OdeSolverException? FirstFailure { get; private set; }

    /// <summary>How many samples failed.</summary>
    public int FailedCount { get; private set; }

    /// <summary>How many samples are still integrating (or finished successfully).</summary>
    public int Running => Status.Length - FailedCount;

    public bool HasFailed(int sample) => Status[sample] != OdeStatus.Success;

    /// <summary>
    /// Sample <paramref name="sample"/> stopped at <paramref name="time"/> because of <paramref name="failure"/>, having
    /// produced its outputs at <c>ts[0 .. outputs)</c>; a sample already failed keeps its first failure.
    /// </summary>
    public void Fail(int sample, OdeSolverException failure, double time, int outputs)
    {
        if (HasFailed(sample))
            return;
        Status[sample] = failure.Failure switch
        {
            OdeFailure.MaxStepsExceeded => OdeStatus.MaxStepsExceeded,
            OdeFailure.StepSizeUnderflow => OdeStatus.StepSizeUnderflow,
            OdeFailure.NoEventByMaxTime => OdeStatus.NoEvent,
            _ => OdeStatus.NonFiniteState,
        };
        TimeReached[sample] = time;
        outputsReached[sample] = outputs;
        FailedCount++;
        FirstFailure ??= failure;
    }

    /// <summary>
    /// The event solvers' ending: every sample that did not fail found its event (<see cref="OdeStatus.Event"/>);
    /// returns the statuses.
    /// </summary>
    public OdeStatus[] EventsFound()
    {
        for (int b = 0; b < Status.Length; b++)
            if (Status[b] == OdeStatus.Success)
                Status[b] = OdeStatus.Event;
        return Status;
    }

    /// <summary>
    /// The trajectory <paramref name="ys"/> (<c>[n, B, D]</c>, n ≤ T when the solve stopped early) as <c>[T, B, D]</c>,
    /// NaN wherever a failed sample never got (whatever the loop wrote there: a frozen state, zeros); the tensor itself
    /// when nothing failed. The result is in the caller's dispose scope; <paramref name="ys"/> is left to its owner.
    /// </summary>
    public Tensor Complete(Tensor ys)
    {
        if (FailedCount == 0 && ys.shape[0] == ts.Length)
            return ys;
        long steps = ts.Length, batch = ys.shape[1], width = ys.shape[2];
        var unreached = new bool[steps * batch];
        for (int b = 0; b < batch; b++)
            for (int i = outputsReached[b]; i < steps; i++)
                unreached[i * batch + b] = true;

        using var scope = torch.NewDisposeScope();
        using Scalar nan = double.NaN.ToScalar();
        Tensor full = ys.shape[0] == steps
            ? ys
            : torch.cat(new[] { ys, torch.full(new[] { steps - ys.shape[0], batch, width }, nan, ys.dtype, ys.device) }, 0);
        Tensor mask = torch.tensor(unreached, new[] { steps, batch, 1L }, device: ys.device);
        return full.masked_fill(mask, nan).MoveToOuterDisposeScope();
    }
}
