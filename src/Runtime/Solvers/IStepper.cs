using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// One integration method as the loops see it (diffrax's solver): a step with its error estimate, and the dense output
/// between the step's ends. Step-size control (<see cref="StepSizeController"/>), the error norm
/// (<see cref="ErrorNorm"/>) and the loops (<see cref="Integrator"/>) are separate, so an implicit method or a stepper
/// of another backend plugs into the same loops by implementing this. <see cref="Steppers"/> says which stepper a
/// method uses. A stepper holds per-solve resources (cached scalars): one per solve, disposed with it.
/// </summary>
internal interface IStepper : IDisposable
{
    /// <summary>The method's name as users know it.</summary>
    string Name { get; }

    /// <summary>The order of the propagated solution; the step-size controller uses exponent 1/Order.</summary>
    int Order { get; }

    /// <summary>Whether the step estimates its error, so that an adaptive loop can drive it.</summary>
    bool IsAdaptive { get; }

    /// <summary>
    /// Advances <paramref name="y0"/> over <paramref name="span"/>, given <c>f0 = f(t0, y0)</c>. Everything is created in
    /// the caller's dispose scope and is differentiable.
    /// </summary>
    StepResult Step(Dynamics f, StepSpan span, Tensor y0, Tensor f0);

    /// <summary>
    /// <c>[m, B, D]</c>: the dense output of a shared step of <paramref name="h"/> from <paramref name="t0"/> at
    /// <c>ts[first..end)</c>, which the step covers.
    /// </summary>
    Tensor Interpolate(Tensor y0, StepResult step, double t0, double h, double[] ts, int first, int end);

    /// <summary>
    /// The dense output of a shared step of <paramref name="h"/> as a polynomial in θ (<c>[P, B, D]</c>, see
    /// <see cref="Dense.StepPolynomial"/>), given the state <paramref name="y1"/> and slope <paramref name="f1"/> at its end.
    /// </summary>
    Tensor Polynomial(Tensor y0, StepResult step, double h, Tensor y1, Tensor f1);

    /// <summary>
    /// <see cref="Polynomial"/> for a per-sample step: row b stepped by its own <c>h_b</c> (<paramref name="h"/>,
    /// <c>[B]</c> in the state's dtype), so each row's polynomial is in its own θ.
    /// </summary>
    Tensor PolynomialRows(Tensor y0, StepResult step, Tensor h, Tensor y1, Tensor f1);

    /// <summary>
    /// <c>[m, D]</c>: the dense output of a per-sample step at one point per entry of <paramref name="points"/>: row
    /// <c>Row</c> of the batch at the fraction <c>Theta</c> of its own step <c>h[Row]</c>. At most one point per row.
    /// </summary>
    Tensor InterpolateRows(Tensor y0, StepResult step, IReadOnlyList<(int Row, double Theta)> points, double[] h);
}
