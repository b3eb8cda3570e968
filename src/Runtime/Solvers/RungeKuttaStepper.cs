using System;
using System.Collections.Generic;
using TorchSharp;
using OdeDsl.Tableaux;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// An explicit Runge–Kutta method from its tableau (torchdiffeq's <c>rk_common</c>): the one stage loop of every
/// explicit method, for a shared step and for a step per sample alike (<see cref="StepSpan"/>), with the embedded
/// error estimate and the tableau's dense output.
/// </summary>
internal sealed class RungeKuttaStepper : IStepper
{
    private readonly ButcherTableau tableau;
    private readonly TableauScalars weights;

    public RungeKuttaStepper(ButcherTableau tableau)
    {
        if (!tableau.IsExplicit)
            throw new ArgumentException(
                $"{tableau.Name} is an implicit Runge–Kutta method: its stages are a system of equations, which the explicit stepper cannot solve.",
                nameof(tableau));
        this.tableau = tableau;
        weights = new TableauScalars(tableau);
    }

    public string Name => tableau.Name;

    public int Order => tableau.Order;

    public bool IsAdaptive => tableau.IsAdaptive;

    /// <summary>
    /// The stages <c>k_i = f(t0 + c_i h, y0 + h Σ_j a_ij k_j)</c>, k[0] being f0, then <c>y1 = y0 + h Σ_j b_j k_j</c>; for
    /// a first-same-as-last tableau y1 is the last stage's argument and <c>k[^1] = f(t0 + h, y1)</c>.
    /// </summary>
    public StepResult Step(Dynamics f, StepSpan span, Tensor y0, Tensor f0)
    {
        var k = new Tensor[tableau.Stages];
        k[0] = f0;
        Tensor? yi = null;
        for (int i = 1; i < tableau.Stages; i++)
        {
            using (Tensor increment = TableauScalars.Combine(weights.A[i - 1], k))
                yi = span.Advance(y0, increment);
            k[i] = span.Evaluate(f, tableau.C[i], weights.C[i], yi);
        }
        Tensor y1;
        if (tableau.IsFsal)
            y1 = yi!;
        else
        {
            using Tensor total = TableauScalars.Combine(weights.B, k);
            y1 = span.Advance(y0, total);
        }
        Tensor? errorRate = weights.E is { } e ? TableauScalars.Combine(e, k) : null;
        // FSAL, or (fehlberg2, adaptive_heun, as in torchdiffeq) the last stage taken at the embedded solution.
        return new StepResult(y1, errorRate, tableau.ReusesLastStage ? k[^1] : null, k);
    }

    public Tensor Interpolate(Tensor y0, StepResult step, double t0, double h, double[] ts, int first, int end) =>
        DenseOutput.Evaluate(tableau, y0, step.Stages, t0, h, ts, first, end);

    /// <summary>The tableau's quartic dense output, or the cubic Hermite interpolant for a method without one.</summary>
    public Tensor Polynomial(Tensor y0, StepResult step, double h, Tensor y1, Tensor f1) =>
        tableau.DenseOutput is null
            ? Dense.StepPolynomial.Hermite(y0, step.Stages[0], y1, f1, h)
            : Dense.StepPolynomial.FromTableau(tableau, y0, step.Stages, h);

    public Tensor PolynomialRows(Tensor y0, StepResult step, Tensor h, Tensor y1, Tensor f1) =>
        tableau.DenseOutput is null
            ? Dense.StepPolynomial.HermiteRows(y0, step.Stages[0], y1, f1, h)
            : Dense.StepPolynomial.FromTableauRows(tableau, y0, step.Stages, h);

    public Tensor InterpolateRows(Tensor y0, StepResult step, IReadOnlyList<(int Row, double Theta)> points, double[] h) =>
        DenseOutput.EvaluateRows(tableau, y0, step.Stages, points, h);

    public void Dispose() => weights.Dispose();
}
