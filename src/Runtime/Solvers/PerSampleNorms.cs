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
    private readonly Tensor relTol;
    private readonly Tensor absTol;
    private readonly Scalar one = 1.0.ToScalar();

    public PerSampleNorms(SolverOptions options, Tensor like)
    {
        relTol = torch.tensor(options.RelTol, like.dtype, like.device);
        absTol = torch.tensor(options.AbsTol, like.dtype, like.device);
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
