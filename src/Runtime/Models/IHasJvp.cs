using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// A model that computes its Jacobian–vector products (∂f/∂y)·v analytically, by forward-mode differentiation written
/// out at build time; every compiled model implements it. TorchSharp has no forward-mode autograd: without this a
/// product with the Jacobian costs a reverse pass per direction.
/// </summary>
public interface IHasJvp
{
    /// <summary>(∂f/∂y)·v at (t, y), <c>[B, D]</c>, differentiable by autograd when it is enabled.</summary>
    /// <param name="t">The time: a scalar tensor, or one time per sample (<c>[B]</c>).</param>
    /// <param name="y">The packed states, <c>[B, D]</c>.</param>
    /// <param name="v">The tangent, <c>[B, D]</c>, packed like the states.</param>
    Tensor Jvp(Tensor t, Tensor y, Tensor v);
}
