using System.ComponentModel;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// The functions generated models use for values computed on the host (from literals and constants, once, in the
/// constructor) that <see cref="System.Math"/> lacks: each runs libtorch's own kernel on a float64 scalar, so the host
/// value is the one a float64 tensor would give.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HostMath
{
    /// <summary>log(1 + x), exact for small x.</summary>
    public static double Log1p(double x) => Apply(x, static t => t.log1p());

    /// <summary>eˣ − 1, exact for small x.</summary>
    public static double Expm1(double x) => Apply(x, static t => t.expm1());

    /// <summary>The error function.</summary>
    public static double Erf(double x) => Apply(x, static t => t.erf());

    /// <summary>x·Φ(x), exact (erf form).</summary>
    public static double Gelu(double x) => Apply(x, static t => t.gelu());

    /// <summary>x·σ(x).</summary>
    public static double Silu(double x) => Apply(x, static t => t.silu());

    private static double Apply(double x, System.Func<Tensor, Tensor> f)
    {
        // Both tensors stay referenced until disposed, so none is finalised during a native call.
        using Tensor input = tensor(x, float64);
        using Tensor result = f(input);
        return result.item<double>();
    }
}
