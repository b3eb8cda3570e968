using System;
using OdeDsl.Solvers.Dense;
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

    /// <summary>Whether the solve kept its steps' interpolants (<see cref="SolverOptions.Dense"/>), so that <see cref="Evaluate"/> works.</summary>
    public bool IsDense => Trajectory is not null;

    /// <summary>
    /// <c>[N, B, D]</c>: the state at each of the 1-D <paramref name="times"/> (any order, inside the solved interval),
    /// from the accepted steps' interpolants: no function evaluations, as accurate as the method's dense output.
    /// Differentiable like <see cref="Ys"/>, and in <paramref name="times"/>. Needs <see cref="SolverOptions.Dense"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The solve was not dense.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A time outside the solved interval.</exception>
    public Tensor Evaluate(Tensor times)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (Trajectory is null)
            throw new InvalidOperationException("This solution keeps no interpolants: solve with new SolverOptions { Dense = true } to evaluate it between the output times.");
        if (times.dim() != 1)
            throw new ArgumentException($"times must be a 1-D tensor, but has {times.dim()} dimensions.", nameof(times));
        if (!times.is_floating_point())
            throw new ArgumentException($"times must have a floating-point dtype, but is {times.dtype}.", nameof(times));
        if (times.device.ToString() != Ys.device.ToString())
            throw new ArgumentException($"times is on {times.device} but the solution is on {Ys.device}; move them to the same device.", nameof(times));
        return Trajectory.Evaluate(times);
    }

    /// <summary>The steps' interpolants of a dense solve.</summary>
    internal DenseTrajectory? Trajectory { get; init; }

    /// <summary>Releases <see cref="Ys"/> (and the interpolants of a dense solve).</summary>
    public void Dispose()
    {
        Ys.Dispose();
        Trajectory?.Dispose();
    }
}
