using System.Collections.Generic;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// A flow whose (z, log p) dynamics have their vector–Jacobian products written out, second-order terms included:
/// for cotangents a (of f) and ā (of the divergence), aᵀ∂f/∂· + ā·∂tr(∂f/∂z)/∂·. The adjoint of <see cref="Cnf"/> then
/// needs no autograd graph. Flows with a closed-form divergence implement it.
/// </summary>
public interface IHasFlowVjp : IFlow
{
    /// <summary>f, its divergence and their VJPs at (t, z), without an autograd graph.</summary>
    /// <param name="t">The time: a scalar tensor, or one time per sample (<c>[B]</c>).</param>
    /// <param name="z">The state, <c>[B, D]</c>.</param>
    /// <param name="a">The cotangent of f, <c>[B, D]</c>.</param>
    /// <param name="aTrace">The cotangent of the divergence, <c>[B]</c>.</param>
    FlowVjpResult FlowVjp(Tensor t, Tensor z, Tensor a, Tensor aTrace);
}

/// <summary>What <see cref="IHasFlowVjp.FlowVjp"/> returns.</summary>
/// <param name="Dynamics">f(t, z), <c>[B, D]</c>.</param>
/// <param name="Divergence">tr(∂f/∂z), <c>[B]</c>.</param>
/// <param name="State">aᵀ∂f/∂z + ā·∂div/∂z, <c>[B, D]</c>.</param>
/// <param name="Parameters">The same with respect to every parameter, summed over the batch, in <c>parameters()</c> order.</param>
/// <param name="Time">The same with respect to t, summed over the batch (null when neither reads t).</param>
public sealed record FlowVjpResult(Tensor Dynamics, Tensor Divergence, Tensor State, IReadOnlyList<Tensor> Parameters, Tensor? Time);
