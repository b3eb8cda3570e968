using System;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The error norm of every adaptive loop: the root mean square of the local error divided by
/// <c>atol + rtol·max(|y0|, |y1|)</c>, taken over the groups of a <see cref="NormGrouping"/> (the whole batch, each
/// sample, or the largest of a packed state's components). The tolerances are 0-dim tensors or per-state ones that
/// broadcast to the state (<see cref="Tolerance"/>). Each call reads its norms to the host once: this is the loop's
/// one host synchronisation per step.
/// </summary>
internal sealed class ErrorNorm : IDisposable
{
    private readonly NormGrouping grouping;
    private readonly Tensor? averaging;
    private readonly Scalar one = 1.0.ToScalar();
    private readonly long[] sampleDimension = { 1 };
    private Tensor relTol;
    private Tensor absTol;

    /// <param name="options">The tolerances.</param>
    /// <param name="like">A state: the tolerances take its dtype and device.</param>
    /// <param name="grouping">What each norm value is taken over.</param>
    public ErrorNorm(SolverOptions options, Tensor like, NormGrouping grouping)
    {
        this.grouping = grouping;
        relTol = options.RelTol.ToTensor(like);
        absTol = options.AbsTol.ToTensor(like);
        averaging = grouping.Averaging(like.dtype, like.device);
    }

    /// <summary>
    /// Per group, the RMS of <c>errorRate / (atol + rtol·max(|y0|, |y1|))</c>, where <paramref name="errorRate"/> is
    /// the local error divided by the step: times |h| (on the host) it is the error ratio, ≤ 1 accepting the step.
    /// Consumes <paramref name="errorRate"/>: it is left holding the scaled squared errors, which a shared step keeps to
    /// name the samples that failed it (<see cref="LastRejection"/>).
    /// </summary>
    public double[] ErrorNorms(Tensor errorRate, Tensor y0, Tensor y1)
    {
        using var noGrad = torch.no_grad();
        using Tensor a0 = y0.abs(), a1 = y1.abs();
        using Tensor larger = torch.maximum(a0, a1);
        using Tensor scale = torch.addcmul(absTol, larger, relTol, one);
        Tensor scaled = errorRate.div_(scale);
        return HostRms(scaled.mul_(scaled));
    }

    /// <summary>Per group, the RMS of <c>v / (atol + rtol·|y|)</c>, for the initial step heuristic.</summary>
    public double[] ScaledNorms(Tensor v, Tensor y)
    {
        using var noGrad = torch.no_grad();
        using Tensor absY = y.abs();
        using Tensor scale = torch.addcmul(absTol, absY, relTol, one);
        using Tensor scaled = v.div(scale);
        return HostRms(scaled.mul_(scaled));
    }

    /// <summary>
    /// Follows the batch when finished samples leave it (per-sample stepping): tolerances with a row per sample keep
    /// the rows of the samples still integrating.
    /// </summary>
    public void KeepRows(Tensor rows)
    {
        relTol = KeepRows(relTol, rows);
        absTol = KeepRows(absTol, rows);
    }

    public void Dispose()
    {
        relTol.Dispose();
        absTol.Dispose();
        one.Dispose();
        averaging?.Dispose();
    }

    /// <summary>The square roots of the groups' mean squares, on the host.</summary>
    private double[] HostRms(Tensor squares)
    {
        if (grouping.IsPerSample)
        {
            using Tensor perSample = squares.mean(sampleDimension);
            using Tensor host = perSample.to(ScalarType.Float64, torch.CPU);
            double[] values = host.data<double>().ToArray();
            for (int i = 0; i < values.Length; i++)
                values[i] = Math.Sqrt(values[i]);
            return values;
        }
        using Tensor meanSquare = MeanSquare(squares);
        // Not Tensor.ToDouble(): it goes through a temporary Scalar that the GC may free during the native read
        // (an uncatchable abort in libtorch); item<T>() reads the value directly.
        return new[] { Math.Sqrt(HostValue(meanSquare)) };
    }

    /// <summary>A one-element tensor's value on the host, read without a Scalar.</summary>
    private static double HostValue(Tensor value)
    {
        switch (value.dtype)
        {
            case ScalarType.Float64:
                return value.item<double>();
            case ScalarType.Float32:
                return value.item<float>();
            default:
                using (Tensor wide = value.to(ScalarType.Float64))
                    return wide.item<double>();
        }
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

    private static Tensor KeepRows(Tensor tolerance, Tensor rows)
    {
        if (tolerance.dim() < 2 || tolerance.shape[0] == 1)
            return tolerance;
        Tensor kept = tolerance.index_select(0, rows).DetachFromDisposeScope();
        tolerance.Dispose();
        return kept;
    }
}
