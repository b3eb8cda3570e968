using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// A continuous normalizing flow (FFJORD; Grathwohl et al., ICLR 2019): dz/dt = f(t, z) on one vector state z, whose
/// density follows d(log p)/dt = −tr(∂f/∂z). Models declared with <c>flow</c> implement it; <see cref="Cnf"/> takes
/// it.
/// </summary>
public interface IFlow : IHasDivergence
{
    /// <summary>
    /// f(t, z) <c>[B, D]</c> and tr(∂f/∂z) <c>[B]</c> together: what the (z, log p) dynamics evaluate, in one pass where
    /// the generated closed form shares the hidden layers with f.
    /// </summary>
    (Tensor Dynamics, Tensor Divergence) DynamicsAndDivergence(Tensor t, Tensor z);
}
