using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// Additions that never hand libtorch a temporary Scalar. TorchSharp's <c>a.add(b)</c> (and <c>a + b</c>) is
/// <c>a.add(b, 1)</c> with an implicit, finalizer-owned Scalar that nothing references during the native call, so
/// the GC may free it mid-call: libtorch then reads a garbage alpha ("Expected false to be true" from
/// <c>Scalar::toDouble</c>), which the latent ODE's training hit within a few iterations. A static Scalar is always
/// reachable.
/// </summary>
internal static class RootedScalars
{
    /// <summary>The Scalar 1, rooted for the life of the process.</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a + scale·b</c>, the Scalar kept alive over the call.</summary>
    public static Tensor PlusScaled(this Tensor a, Tensor b, double scale)
    {
        using Scalar s = scale.ToScalar();
        return a.add(b, s);
    }

    /// <summary><c>a + c</c> for a number c, the Scalars kept alive over the call.</summary>
    public static Tensor PlusNumber(this Tensor a, double c)
    {
        using Scalar s = c.ToScalar();
        return a.add(s, One);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>, the Scalar kept alive over the call.</summary>
    public static Tensor Filled(long[] shape, double value, ScalarType dtype, Device device)
    {
        using Scalar s = value.ToScalar();
        return torch.full(shape, s, dtype, device);
    }

    /// <summary>A tensor like <paramref name="like"/> filled with NaN.</summary>
    public static Tensor NaNLike(Tensor like) => Filled(like.shape, double.NaN, like.dtype, like.device);

    /// <summary><c>a·c</c> for a number c, the Scalar kept alive over the call.</summary>
    public static Tensor Times(this Tensor a, double c)
    {
        using Scalar s = c.ToScalar();
        return a.mul(s);
    }
}
