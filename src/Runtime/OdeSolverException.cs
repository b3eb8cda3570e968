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
}

/// <summary>A solve that could not finish: names the dynamics, the time reached and the step number.</summary>
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

    private static string Describe(OdeFailure failure) => failure switch
    {
        OdeFailure.NonFiniteState => "non-finite state (NaN or infinity)",
        OdeFailure.StepSizeUnderflow => "step size underflow",
        OdeFailure.MaxStepsExceeded => "maximum number of steps exceeded",
        OdeFailure.NoEventByMaxTime => "no event by the time limit",
        _ => failure.ToString(),
    };
}
