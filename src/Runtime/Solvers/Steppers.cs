using OdeDsl.Tableaux;

namespace OdeDsl.Solvers;

/// <summary>
/// Which stepper integrates each <see cref="OdeMethod"/> (torchdiffeq's <c>SOLVERS</c> table): the one place
/// <see cref="Ode.Solve(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/>
/// and the adjoint's backward solve both ask. Every method is an explicit Runge–Kutta tableau today; an implicit method
/// is a tableau the explicit stepper refuses (<see cref="ButcherTableau.IsExplicit"/>) and a stepper of its own here.
/// </summary>
internal static class Steppers
{
    /// <summary>A new stepper for <paramref name="method"/>, owned (disposed) by the caller.</summary>
    public static IStepper Create(OdeMethod method) => new RungeKuttaStepper(Methods.Tableau(method));
}
