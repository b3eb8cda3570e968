using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// A model that computes its vector–Jacobian products analytically; the adjoint method then uses them instead of
/// a reverse pass of autograd through <c>forward</c>. Models compiled with a generated adjoint implement it.
/// </summary>
/// <remarks>
/// Each capability of a model that a solver can use is an interface of its own, checked with <c>is</c> where it is
/// used, so a model declares exactly what it can do and nothing stands in for a missing one: forward-mode products
/// (<see cref="IHasJvp"/>), the dense Jacobian for implicit methods (<see cref="IHasJacobian"/>) and the exact trace
/// for flows (<see cref="IHasDivergence"/>) join it the same way.
/// </remarks>
public interface IHasVjp
{
    /// <summary>
    /// The analytic vector–Jacobian products at (t, y) for the cotangent <paramref name="a"/> (<c>[B, D]</c>), together
    /// with f(t, y), without an autograd graph.
    /// </summary>
    /// <param name="t">The time: a scalar tensor, or one time per sample (<c>[B]</c>).</param>
    /// <param name="y">The packed states, <c>[B, D]</c>.</param>
    /// <param name="a">The cotangent, <c>[B, D]</c>, packed like the states.</param>
    VjpResult Vjp(Tensor t, Tensor y, Tensor a);
}
