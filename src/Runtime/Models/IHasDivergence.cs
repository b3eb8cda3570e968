using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// A model that computes the divergence tr(∂f/∂y) exactly (every compiled model does): the log-density dynamics of a
/// continuous normalizing flow, d(log p)/dt = −tr(∂f/∂z), without a stochastic estimate.
/// </summary>
public interface IHasDivergence
{
    /// <summary>tr(∂f/∂y) at (t, y), <c>[B]</c>; differentiable by autograd when it is enabled.</summary>
    /// <param name="t">The time: a scalar tensor, or one time per sample (<c>[B]</c>).</param>
    /// <param name="y">The packed states, <c>[B, D]</c>.</param>
    Tensor Divergence(Tensor t, Tensor y);
}
