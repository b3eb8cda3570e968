using System;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The initial step of Hairer, Nørsett and Wanner, "Solving ODEs I", §II.4 (as in torchdiffeq): from the scaled
/// norms of y0, f0 and a finite-difference estimate of the second derivative. Costs one extra evaluation.
/// </summary>
internal static class InitialStepSize
{
    public static double Select(Dynamics f, double t0, Tensor y0, Tensor f0, int order, ErrorNorm norms, double direction)
    {
        double d0 = norms.ScaledNorms(y0, y0)[0];
        double d1 = norms.ScaledNorms(f0, y0)[0];
        double h0 = FirstGuess(d0, d1);

        double d2;
        using (torch.NewDisposeScope())
        {
            // An explicit Scalar kept alive over the call: an implicit one is finalizer-owned and may be freed mid-call.
            using Scalar step = (direction * h0).ToScalar();
            Tensor y1 = y0.add(f0, alpha: step);
            Tensor f1 = f.Evaluate(t0 + direction * h0, y1);
            d2 = norms.ScaledNorms(f1.sub(f0), y0)[0];
        }
        return Refine(h0, d1, d2, order);
    }

    /// <summary>
    /// <see cref="Select"/> for every row of a per-sample solve at once (per-row norms, 2 evaluations of the batch):
    /// the signed, clamped first step of each row. <paramref name="evaluate"/> takes <c>[B]</c> times and the states.
    /// </summary>
    public static double[] SelectPerRow(Func<Tensor, Tensor, Tensor> evaluate, double[] t0, Tensor y0, Tensor f0, int order,
        ErrorNorm norms, double direction, StepSizeController controller)
    {
        using var scope = torch.NewDisposeScope();
        using Scalar one = 1.0.ToScalar();
        double[] d0 = norms.ScaledNorms(y0, y0), d1 = norms.ScaledNorms(f0, y0);
        double[] h0 = new double[d0.Length];
        for (int b = 0; b < h0.Length; b++)
            h0[b] = FirstGuess(d0[b], d1[b]);
        double[] signed = Array.ConvertAll(h0, h => direction * h);
        Tensor column = torch.tensor(signed, new long[] { signed.Length, 1 }, y0.dtype, y0.device);
        Tensor y1 = y0.addcmul(column, f0, one);
        double[] t1 = new double[t0.Length];
        for (int b = 0; b < t1.Length; b++)
            t1[b] = t0[b] + signed[b];
        Tensor f1 = evaluate(torch.tensor(t1, new long[] { t1.Length }, y0.dtype, y0.device), y1);
        double[] d2 = norms.ScaledNorms(f1.sub(f0), y0);
        var steps = new double[h0.Length];
        for (int b = 0; b < steps.Length; b++)
            steps[b] = direction * controller.Clamp(Refine(h0[b], d1[b], d2[b], order));
        return steps;
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
