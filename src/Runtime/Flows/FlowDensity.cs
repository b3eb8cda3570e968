using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>What <see cref="Cnf.Evaluate"/> gives for a batch of data.</summary>
/// <param name="LogProb">log p(x) per sample, <c>[B]</c>.</param>
/// <param name="KineticEnergy">∫₀ᵀ |f|² dt per sample, <c>[B]</c>, when asked for (<see cref="FlowRegularizers.KineticEnergy"/>).</param>
/// <param name="JacobianFrobenius">∫₀ᵀ ‖∂f/∂z‖²_F dt per sample, <c>[B]</c>, when asked for (<see cref="FlowRegularizers.JacobianFrobenius"/>).</param>
/// <param name="Solution">The solve of (z, Δ, …) over [0, T] (<c>Ys</c> <c>[2, B, D + 1 + …]</c>): its cost, and its backward cost once an adjoint backward ran.</param>
public sealed record FlowDensity(Tensor LogProb, Tensor? KineticEnergy, Tensor? JacobianFrobenius, OdeSolution Solution);
