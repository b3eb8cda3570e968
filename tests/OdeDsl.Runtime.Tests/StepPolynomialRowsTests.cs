using System;
using OdeDsl.Solvers;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// The dense output of a per-sample step (each row its own h) against the shared-step one of each row stepped alone:
/// the tableau's quartic (dopri5) and the cubic Hermite of a method without one (rk4).
/// </summary>
public class StepPolynomialRowsTests
{
    [Theory]
    [InlineData(OdeMethod.Dopri5)]
    [InlineData(OdeMethod.Rk4)]
    public void EachRowIsItsOwnStepsPolynomial(OdeMethod method)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var module = new DelegateDynamics((t, y) => y.neg().Plus(t.reshape(-1, 1).sin().expand_as(y)));
        var f = new Dynamics(module, zeros(1, 2, float64));
        using IStepper stepper = Steppers.Create(method);
        Tensor y0 = tensor(new[] { 1.0, -0.5, 0.3, 2.0, -1.2, 0.7 }, float64).view(3, 2);
        double[] t0 = { 0.0, 0.4, 1.5 }, h = { 0.1, 0.3, -0.2 };
        Tensor times = tensor(t0, float64), steps = tensor(h, float64);
        Tensor f0 = f.Evaluate(times, y0);
        StepResult result;
        using (var span = StepSpan.PerSample(times, steps))
            result = stepper.Step(f, span, y0, f0);
        Tensor f1 = f.Evaluate(times.Plus(steps), result.Y1);
        Tensor rows = stepper.PolynomialRows(y0, result, steps, result.Y1, f1);

        for (int b = 0; b < 3; b++)
        {
            Tensor y = y0.narrow(0, b, 1);
            Tensor slope = f.Evaluate(t0[b], y);
            StepResult alone;
            using (var span = StepSpan.Shared(t0[b], h[b]))
                alone = stepper.Step(f, span, y, slope);
            Tensor polynomial = stepper.Polynomial(y, alone, h[b], alone.Y1, f.Evaluate(t0[b] + h[b], alone.Y1));
            Assert.True(allclose(rows.narrow(1, b, 1), polynomial, rtol: 1e-12, atol: 1e-14), $"row {b}");
        }
    }
}
