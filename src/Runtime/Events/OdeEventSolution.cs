using System;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>Where each sample's first event happened: the time, the state there, which component of the event function fired.</summary>
public sealed class OdeEventSolution : IDisposable
{
    internal OdeEventSolution(Tensor time, Tensor state, long[] component, SolverStats stats, long eventEvaluations)
    {
        Time = time;
        State = state;
        Component = component;
        Stats = stats;
        EventFunctionEvaluations = eventEvaluations;
    }

    /// <summary>
    /// <c>[B]</c>: each sample's event time, in <c>y0</c>'s dtype; differentiable with respect to <c>y0</c>, <c>t0</c>,
    /// the dynamics' parameters and the event function's (the implicit function theorem on <c>g(t*, y(t*)) = 0</c>).
    /// </summary>
    public Tensor Time { get; }

    /// <summary><c>[B, D]</c>: each sample's state at its event time, differentiable like <see cref="Time"/>.</summary>
    public Tensor State { get; }

    /// <summary>For each sample, the index of the event function's component that fired first (0 for a <c>[B]</c> event function).</summary>
    public long[] Component { get; }

    /// <summary>The dynamics' evaluations and the steps taken until the last sample's event.</summary>
    public SolverStats Stats { get; }

    /// <summary>Calls of the event function: one per accepted step, plus the bisection in the steps that crossed.</summary>
    public long EventFunctionEvaluations { get; }

    /// <summary>Releases <see cref="Time"/> and <see cref="State"/>.</summary>
    public void Dispose()
    {
        Time.Dispose();
        State.Dispose();
    }
}
