using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The error norm of torchdiffeq and Hairer–Wanner: the root mean square, over every element of the batch, of
/// the local error divided by <c>atol + rtol·max(|y0|, |y1|)</c>. The whole batch shares one step size. The
/// tolerances are 0-dim tensors or per-state ones that broadcast to the state (<see cref="Tolerance"/>).
/// </summary>
internal sealed class ErrorControl : IDisposable
{
    private readonly Tensor relTol;
    private readonly Tensor absTol;
    private readonly Scalar one = 1.0.ToScalar();
    private readonly Tensor? averaging;

    /// <param name="options">The tolerances.</param>
    /// <param name="like">A state: the tolerances take its dtype and device.</param>
    /// <param name="components">For a state packed from several components (the adjoint's), the largest
    /// component RMS replaces the RMS over everything.</param>
    public ErrorControl(SolverOptions options, Tensor like, ComponentNorm? components = null)
    {
        relTol = options.RelTol.ToTensor(like);
        absTol = options.AbsTol.ToTensor(like);
        averaging = components?.Averaging(like.dtype, like.device);
    }

    /// <summary>
    /// The error ratio of a step: ≤ 1 accepts it. <paramref name="errorSum"/> is <c>Σ e_j k_j</c>, so the local error
    /// is <c>h</c> times it; <c>|h|</c> is applied on the host. This is the solver's one host synchronisation per step.
    /// Consumes (overwrites) <paramref name="errorSum"/>.
    /// </summary>
    public double Ratio(Tensor errorSum, Tensor y0, Tensor y1, double h)
    {
        using var noGrad = torch.no_grad();
        using Tensor a0 = y0.abs(), a1 = y1.abs();
        using Tensor larger = torch.maximum(a0, a1);
        using Tensor scale = torch.addcmul(absTol, larger, relTol, one);
        Tensor scaled = errorSum.div_(scale);
        using Tensor meanSquare = MeanSquare(scaled.mul_(scaled));
        return Math.Abs(h) * Math.Sqrt(meanSquare.ToDouble());
    }

    /// <summary>RMS of <c>v / (atol + rtol·|y|)</c>, for the initial step heuristic.</summary>
    public double ScaledNorm(Tensor v, Tensor y)
    {
        using var noGrad = torch.no_grad();
        using Tensor absY = y.abs();
        using Tensor scale = torch.addcmul(absTol, absY, relTol, one);
        using Tensor scaled = v.div(scale);
        using Tensor meanSquare = MeanSquare(scaled.mul_(scaled));
        return Math.Sqrt(meanSquare.ToDouble());
    }

    /// <summary>The mean of the squares, or with components the largest component mean.</summary>
    private Tensor MeanSquare(Tensor squares)
    {
        if (averaging is null)
            return squares.mean();
        using Tensor row = squares.reshape(1, -1);
        using Tensor means = row.matmul(averaging);
        return means.max();
    }

    public void Dispose()
    {
        relTol.Dispose();
        absTol.Dispose();
        one.Dispose();
        averaging?.Dispose();
    }
}

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

/// <summary>
/// The initial step of Hairer, Nørsett and Wanner, "Solving ODEs I", §II.4 (as in torchdiffeq): from the scaled
/// norms of y0, f0 and a finite-difference estimate of the second derivative. Costs one extra evaluation.
/// </summary>
internal static class InitialStepSize
{
    public static double Select(Dynamics f, double t0, Tensor y0, Tensor f0, int order, ErrorControl norms, double direction)
    {
        double d0 = norms.ScaledNorm(y0, y0);
        double d1 = norms.ScaledNorm(f0, y0);
        double h0 = FirstGuess(d0, d1);

        double d2;
        using (torch.NewDisposeScope())
        {
            Tensor y1 = y0.add(f0, alpha: direction * h0);
            Tensor f1 = f.Evaluate(t0 + direction * h0, y1);
            d2 = norms.ScaledNorm(f1.sub(f0), y0);
        }
        return Refine(h0, d1, d2, order);
    }

    /// <summary>h0 from the scaled norms of y0 (d0) and f0 (d1).</summary>
    public static double FirstGuess(double d0, double d1) => d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;

    /// <summary>
    /// The step from h0, d1 and the scaled norm d2 of f(t0 + h0, y0 + h0 f0) − f0 (a finite-difference estimate
    /// of the second derivative once divided by h0), for a method of order <paramref name="order"/> + 1.
    /// </summary>
    public static double Refine(double h0, double d1, double d2, int order)
    {
        double curvature = d2 / h0;
        double h1 = d1 <= 1e-15 && curvature <= 1e-15
            ? Math.Max(1e-6, h0 * 1e-3)
            : Math.Pow(0.01 / Math.Max(d1, curvature), 1.0 / (order + 1));
        return Math.Min(100 * h0, h1);
    }
}
