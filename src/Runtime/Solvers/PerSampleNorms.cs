using System;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The error norm of per-sample stepping: for each sample its own RMS, over its D columns, of
/// <c>v / (atol + rtol·scale)</c> (torchode's per-sample norm). One host read per call.
/// </summary>
internal sealed class PerSampleNorms : IDisposable
{
    private Tensor relTol;
    private Tensor absTol;
    private readonly Scalar one = 1.0.ToScalar();

    public PerSampleNorms(SolverOptions options, Tensor like)
    {
        relTol = options.RelTol.ToTensor(like);
        absTol = options.AbsTol.ToTensor(like);
    }

    /// <summary>Per sample: RMS of <c>v / (atol + rtol·|y|)</c>.</summary>
    public double[] ScaledNorms(Tensor v, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor scale = torch.addcmul(absTol, y.abs(), relTol, one);
        Tensor scaled = v.div(scale);
        return HostRms(scaled.mul_(scaled).mean(new long[] { 1 }));
    }

    /// <summary>
    /// Per sample: the RMS of <c>errorSum / (atol + rtol·max(|y0|, |y1|))</c>, which times |h| is the error ratio.
    /// Consumes (overwrites) <paramref name="errorSum"/>.
    /// </summary>
    public double[] ErrorNorms(Tensor errorSum, Tensor y0, Tensor y1)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor scale = torch.addcmul(absTol, torch.maximum(y0.abs(), y1.abs()), relTol, one);
        Tensor scaled = errorSum.div_(scale);
        return HostRms(scaled.mul_(scaled).mean(new long[] { 1 }));
    }

    /// <summary>
    /// Follows the batch when finished samples leave it: tolerances with a row per sample keep the rows of the
    /// samples still integrating.
    /// </summary>
    public void KeepRows(Tensor rows)
    {
        relTol = KeepRows(relTol, rows);
        absTol = KeepRows(absTol, rows);
    }

    private static Tensor KeepRows(Tensor tolerance, Tensor rows)
    {
        if (tolerance.dim() < 2 || tolerance.shape[0] == 1)
            return tolerance;
        Tensor kept = tolerance.index_select(0, rows).DetachFromDisposeScope();
        tolerance.Dispose();
        return kept;
    }

    private static double[] HostRms(Tensor meanSquares)
    {
        double[] values = meanSquares.to(ScalarType.Float64, torch.CPU).data<double>().ToArray();
        for (int i = 0; i < values.Length; i++)
            values[i] = Math.Sqrt(values[i]);
        return values;
    }

    public void Dispose()
    {
        relTol.Dispose();
        absTol.Dispose();
        one.Dispose();
    }
}
