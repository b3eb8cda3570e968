using System;

namespace OdeDsl.Solvers;

/// <summary>
/// The checks that stop an adaptive trajectory which cannot finish — too many steps, a step too small to move
/// time, NaN/infinity that smaller steps do not cure, a rejected step already at MinStep — with one message per
/// failure for the shared-step and the per-sample loops alike. One guard per trajectory (per sample, or the batch).
/// A check returns the failure (an exception not thrown) and the loop decides: stop the sample, or freeze the
/// culprits of a shared step and go on (<see cref="SampleOutcomes"/>); null means carry on.
/// </summary>
internal sealed class StepGuard
{
    /// <summary>After this many consecutive non-finite error estimates (each shrinking the step 5×), give up.</summary>
    private const int MaxNonFiniteRetries = 12;

    private readonly string model, label;
    private readonly SolverOptions options;
    private readonly double end;
    private int nonFinite;

    /// <param name="model">The dynamics' name, for the messages.</param>
    /// <param name="options">MaxSteps and MinStep.</param>
    /// <param name="end">The last requested time, for the messages.</param>
    /// <param name="label">Prefix of the detail, naming the sample for per-sample stepping ("" for the batch).</param>
    public StepGuard(string model, SolverOptions options, double end, string label = "")
    {
        this.model = model;
        this.options = options;
        this.end = end;
        this.label = label;
    }

    /// <summary>Before attempting step number <paramref name="step"/> of size <paramref name="h"/> from <paramref name="t"/>.</summary>
    public OdeSolverException? BeforeStep(double t, double h, long step)
    {
        if (step > options.MaxSteps)
            return Fail(OdeFailure.MaxStepsExceeded, t, step,
                $"MaxSteps = {options.MaxSteps} steps did not reach t = {end:G9}; raise SolverOptions.MaxSteps, loosen the tolerances, or use a method suited to the problem (it may be stiff).");
        if (t + h == t)
            return nonFinite > 0
                ? Fail(OdeFailure.NonFiniteState, t, step, "Every step beyond this time makes the dynamics return NaN or infinity, however small.")
                : Fail(OdeFailure.StepSizeUnderflow, t, step,
                    $"The step size {Math.Abs(h):G3} no longer changes t; the solution may blow up or be discontinuous here.");
        return null;
    }

    /// <summary>After an accepted step, or when a shared step restarts without the samples that failed.</summary>
    public void Accepted() => nonFinite = 0;

    /// <summary>After step <paramref name="step"/> of size <paramref name="h"/> was rejected with error ratio <paramref name="ratio"/>.</summary>
    public OdeSolverException? Rejected(double t, double h, double ratio, long step)
    {
        if (!double.IsFinite(ratio) && ++nonFinite > MaxNonFiniteRetries)
            return Fail(OdeFailure.NonFiniteState, t, step,
                $"The dynamics kept producing NaN or infinity even after the step was shrunk to {Math.Abs(h):G3}.");
        if (Math.Abs(h) <= options.MinStep)
            return Fail(OdeFailure.StepSizeUnderflow, t, step,
                $"A step of MinStep = {options.MinStep:G3} was rejected (error ratio {ratio:G3}); lower MinStep or loosen the tolerances.");
        return null;
    }

    private OdeSolverException Fail(OdeFailure failure, double t, long step, string detail) =>
        new(failure, model, t, step, label + detail);
}
