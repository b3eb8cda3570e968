using System;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>The result of a solve: the state at each requested time, and what it cost.</summary>
public sealed class OdeSolution : IDisposable
{
    internal OdeSolution(Tensor ts, Tensor ys, SolverStats stats)
    {
        Ts = ts;
        Ys = ys;
        Stats = stats;
    }

    /// <summary>The requested times, as passed in (not owned by the solution).</summary>
    public Tensor Ts { get; }

    /// <summary><c>[T, B, D]</c>: the state at each time of <see cref="Ts"/>; <c>Ys[0]</c> equals <c>y0</c>.</summary>
    public Tensor Ys { get; }

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
