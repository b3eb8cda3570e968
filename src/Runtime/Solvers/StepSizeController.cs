using System;

namespace OdeDsl.Solvers;

/// <summary>
/// The integral ("I") step-size controller: <c>h_next = h·min(maxFactor, max(safety·r^(−1/order), minFactor))</c>,
/// where an accepted step never shrinks the step (the lower bound becomes 1) and r = 0 grows it by maxFactor.
/// Pure host arithmetic in double precision.
/// </summary>
internal sealed class StepSizeController
{
    private readonly double safety, maxFactor, minFactor, exponent, minStep, maxStep;

    public StepSizeController(SolverOptions options, int order)
    {
        minStep = options.MinStep;
        maxStep = options.MaxStep;
        safety = options.Safety;
        maxFactor = options.MaxFactor;
        minFactor = options.MinFactor;
        exponent = 1.0 / order;
    }

    /// <summary>A step magnitude kept within [MinStep, MaxStep].</summary>
    public double Clamp(double magnitude) => Math.Min(Math.Max(magnitude, minStep), maxStep);

    /// <summary>The next step after a step of size <paramref name="h"/> with error ratio <paramref name="ratio"/>.</summary>
    public double Next(double h, double ratio)
    {
        if (ratio == 0)
            return h * maxFactor;
        if (!double.IsFinite(ratio))
            return h * minFactor;
        double lowest = ratio < 1 ? 1.0 : minFactor;
        double factor = Math.Min(maxFactor, Math.Max(safety / Math.Pow(ratio, exponent), lowest));
        return h * factor;
    }
}
