using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// A model that computes its dense Jacobian ∂f/∂y analytically (every compiled model does): what implicit methods
/// solve their stage equations with, without D reverse passes of autograd.
/// </summary>
public interface IHasJacobian
{
    /// <summary>∂f/∂y at (t, y), <c>[B, D, D]</c>: element <c>[b, i, j]</c> is ∂f_i/∂y_j; differentiable by autograd when it is enabled.</summary>
    /// <param name="t">The time: a scalar tensor, or one time per sample (<c>[B]</c>).</param>
    /// <param name="y">The packed states, <c>[B, D]</c>.</param>
    Tensor Jacobian(Tensor t, Tensor y);
}
