using System;
using OdeDsl.Solvers.Dense;
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
    /// For <see cref="Ode.SolveAdjoint(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/>: what the backward (adjoint) solve cost, summed over its intervals, once
    /// gradients have been computed; null before.
    /// </summary>
    public SolverStats? BackwardStats { get; internal set; }

    /// <summary>
    /// For <see cref="Ode.SolveAdjoint(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/>: why the backward solve failed, if it did. An exception cannot cross
    /// TorchSharp's native backward, so the gradients are then NaN and the failure is reported here.
    /// </summary>
    public OdeSolverException? BackwardFailure { get; internal set; }

    /// <summary>
    /// Throws <see cref="BackwardFailure"/> if the adjoint's backward solve failed (its gradients are then NaN). Call it
    /// right after <c>loss.backward()</c> to turn a silent NaN gradient into an exception before the optimizer step:
    /// <c>loss.backward(); solution.ThrowIfBackwardFailed(); optimizer.step();</c>
    /// </summary>
    public void ThrowIfBackwardFailed()
    {
        if (BackwardFailure is { } failure)
            throw failure;
    }

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
