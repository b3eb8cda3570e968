using System;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>Where each sample's first event happened: the time, the state there, which component of the event function fired.</summary>
public sealed class OdeEventSolution : IDisposable
{
    internal OdeEventSolution(Tensor time, Tensor state, long[] component, SolverStats stats, long eventEvaluations, OdeStatus[] status)
    {
        Status = status;
        Time = time;
        State = state;
        Component = component;
        Stats = stats;
        EventFunctionEvaluations = eventEvaluations;
    }

    /// <summary>
    /// <c>[B]</c>: each sample's event time, in <c>y0</c>'s dtype; differentiable with respect to <c>y0</c>, <c>t0</c>,
    /// the dynamics' parameters and the event function's (the implicit function theorem on <c>g(t*, y(t*)) = 0</c>).
    /// NaN (and without a gradient) for a sample whose <see cref="Status"/> is not <see cref="OdeStatus.Event"/>.
    /// </summary>
    public Tensor Time { get; }

    /// <summary><c>[B, D]</c>: each sample's state at its event time, differentiable like <see cref="Time"/>; NaN like it.</summary>
    public Tensor State { get; }

    /// <summary>
    /// Per sample: <see cref="OdeStatus.Event"/> when its event was found; with <see cref="SolverOptions.ThrowOnFailure"/>
    /// off, <see cref="OdeStatus.NoEvent"/> for one without an event by <see cref="EventOptions.MaxTime"/> and
    /// <see cref="OdeStatus.MaxStepsExceeded"/>, <see cref="OdeStatus.StepSizeUnderflow"/> or
    /// <see cref="OdeStatus.NonFiniteState"/> for one whose solve failed. With shared steps a failure of the steps ends
    /// every sample still running with it; with per-sample steps only the sample that failed.
    /// </summary>
    public OdeStatus[] Status { get; }

    /// <summary>For each sample, the index of the event function's component that fired first (0 for a <c>[B]</c> event function).</summary>
    public long[] Component { get; }

    /// <summary>
    /// The dynamics' evaluations and the steps taken until the last sample's event (with per-sample steps also each
    /// sample's own, <see cref="SolverStats.PerSample"/>).
    /// </summary>
    public SolverStats Stats { get; }

    /// <summary>Calls of the event function: one per step (accepted, or with per-sample steps attempted), plus the bisection in the steps that crossed.</summary>
    public long EventFunctionEvaluations { get; }

    /// <summary>Releases <see cref="Time"/> and <see cref="State"/>.</summary>
    public void Dispose()
    {
        Time.Dispose();
        State.Dispose();
    }
}
