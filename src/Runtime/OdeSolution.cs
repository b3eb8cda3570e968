using System;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>The result of a solve: the state at each requested time, and what it cost.</summary>
public sealed class OdeSolution : IDisposable
{
    internal OdeSolution(Tensor ts, Tensor ys, SolverStats stats, System.Collections.Generic.IReadOnlyList<OdeStatus> status, System.Collections.Generic.IReadOnlyList<double> timeReached)
    {
        Ts = ts;
        Ys = ys;
        Stats = stats;
        Status = status;
        TimeReached = timeReached;
    }

    /// <summary>The requested times, as passed in (not owned by the solution).</summary>
    public Tensor Ts { get; }

    /// <summary>
    /// <c>[T, B, D]</c>: the state at each time of <see cref="Ts"/>; <c>Ys[0]</c> equals <c>y0</c>. A sample that failed
    /// (<see cref="Status"/>) has its outputs up to <see cref="TimeReached"/> and NaN at the times after.
    /// </summary>
    public Tensor Ys { get; }

    /// <summary>
    /// How each sample's solve ended (one per sample, computed once at the end: no host reads during the solve). All
    /// <see cref="OdeStatus.Success"/> unless <see cref="SolverOptions.ThrowOnFailure"/> is false or this is an
    /// exception's <see cref="OdeSolverException.Partial"/>. With shared steps a sample that turns NaN/infinite or
    /// makes the step size underflow is frozen and the others go on, as accurate as they would be alone (their later
    /// steps are chosen without it); too many steps stop every unfinished sample. With
    /// per-sample steps a failed sample simply stops. A fixed-step solve freezes the samples that are non-finite at an
    /// output time at their previous output.
    /// </summary>
    public System.Collections.Generic.IReadOnlyList<OdeStatus> Status { get; }

    /// <summary>Whether every sample reached every requested time.</summary>
    public bool Succeeded => System.Linq.Enumerable.All(Status, s => s == OdeStatus.Success);

    /// <summary>
    /// Per sample, how far its solution got: the last time of <see cref="Ts"/> for a success, otherwise the time it
    /// failed at (for a fixed-step method, its last finite output time); its outputs reach no further.
    /// </summary>
    public System.Collections.Generic.IReadOnlyList<double> TimeReached { get; }

    /// <summary>Function evaluations, accepted and rejected steps.</summary>
    public SolverStats Stats { get; }

    /// <summary>
    /// For <see cref="Ode.SolveAdjoint"/>: what the backward (adjoint) solve cost, summed over its intervals, once
    /// gradients have been computed; null before.
    /// </summary>
    public SolverStats? BackwardStats { get; internal set; }

    /// <summary>
    /// For <see cref="Ode.SolveAdjoint"/>: why the backward solve failed, if it did. An exception cannot cross
    /// TorchSharp's native backward, so the gradients are then NaN and the failure is reported here.
    /// </summary>
    public OdeSolverException? BackwardFailure { get; internal set; }

    /// <summary>Releases <see cref="Ys"/>.</summary>
    public void Dispose() => Ys.Dispose();
}
