using System.Collections.Generic;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// The dynamics and their vector–Jacobian products at one point, for a cotangent <c>a</c> of shape <c>[B, D]</c>:
/// what the adjoint method integrates backwards.
/// </summary>
/// <param name="Dynamics">f(t, y), <c>[B, D]</c>.</param>
/// <param name="State">aᵀ ∂f/∂y, <c>[B, D]</c> (row b depends only on sample b).</param>
/// <param name="Parameters">aᵀ ∂f/∂θ for every trainable parameter, in <c>parameters()</c> order, each of the
/// parameter's shape (summed over the batch, since parameters are shared).</param>
/// <param name="Time">aᵀ ∂f/∂t summed over the batch (a 0-dim tensor), or null when f does not depend on t.</param>
public sealed record VjpResult(Tensor Dynamics, Tensor State, IReadOnlyList<Tensor> Parameters, Tensor? Time);
