using System;
using System.Globalization;

namespace OdeDsl;

/// <summary>Why a solve stopped early.</summary>
public enum OdeFailure
{
    /// <summary>The dynamics produced NaN or infinity and smaller steps did not help.</summary>
    NonFiniteState,

    /// <summary>The step size became too small to advance time (or fell below <see cref="SolverOptions.MinStep"/>).</summary>
    StepSizeUnderflow,

    /// <summary>More than <see cref="SolverOptions.MaxSteps"/> steps were needed.</summary>
    MaxStepsExceeded,

    /// <summary>An event solve reached <see cref="EventOptions.MaxTime"/> before every sample's event.</summary>
    NoEventByMaxTime,

    /// <summary>The gradient the loss handed the adjoint's backward pass was already NaN or infinite.</summary>
    NonFiniteLossGradient,
}

/// <summary>
/// A solve that could not finish: names the dynamics, the time reached and the step number of the first sample that
/// failed, and carries the partial solution.
/// </summary>
public sealed class OdeSolverException : Exception
{
    internal OdeSolverException(OdeFailure failure, string model, double time, long step, string detail)
        : base(string.Format(CultureInfo.InvariantCulture, "{0}: {1} at t = {2:G9} (step {3}). {4}",
            model, Describe(failure), time, step, detail))
    {
        Failure = failure;
        Model = model;
        Time = time;
        Step = step;
    }

    /// <summary>What went wrong.</summary>
    public OdeFailure Failure { get; }

    /// <summary>The dynamics' name (its type name).</summary>
    public string Model { get; }

    /// <summary>The time the solution had reached.</summary>
    public double Time { get; }

    /// <summary>The number of the step that failed (accepted plus rejected steps before it, plus one).</summary>
    public long Step { get; }

    /// <summary>
    /// What the solve had computed: the solution <see cref="SolverOptions.ThrowOnFailure"/> = false would have
    /// returned, with each sample's <see cref="OdeSolution.Status"/> and <see cref="OdeSolution.TimeReached"/>, its
    /// outputs already computed, and NaN for the outputs never reached (a fixed-step solve whose grid needs more than
    /// <see cref="SolverOptions.MaxSteps"/> steps throws before its first step: only <c>y0</c> then). Its tensors belong to the dispose scope the
    /// solve was called in, as a returned solution's would. Null for the adjoint's backward solve
    /// (<see cref="OdeSolution.BackwardFailure"/>).
    /// </summary>
    public OdeSolution? Partial { get; internal set; }

    private static string Describe(OdeFailure failure) => failure switch
    {
        OdeFailure.NonFiniteState => "non-finite state (NaN or infinity)",
        OdeFailure.StepSizeUnderflow => "step size underflow",
        OdeFailure.MaxStepsExceeded => "maximum number of steps exceeded",
        OdeFailure.NoEventByMaxTime => "no event by the time limit",
        OdeFailure.NonFiniteLossGradient => "non-finite loss gradient",
        _ => failure.ToString(),
    };
}
