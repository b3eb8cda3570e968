namespace OdeDsl.Tableaux;

/// <summary>
/// Runge–Kutta–Fehlberg 2(1): E. Fehlberg, "Low-order classical Runge–Kutta formulas with stepsize control and their
/// application to some heat transfer problems", NASA TR R-315 (1969). 3 stages; as in torchdiffeq the 2nd-order
/// solution is propagated, the controller uses order 2, and the next step starts from the last stage
/// <c>f(t1, ŷ1)</c>, evaluated at the 1st-order solution (Fehlberg's FSAL design): 2 evaluations per step.
/// <para>
/// Deliberate difference from torchdiffeq 0.2.5 (outputs only): the dense output's midpoint is the cubic Hermite one
/// instead of the first-order <c>y0 + (h/2) k2</c>, so outputs between steps are second-order.
/// </para>
/// </summary>
internal static class Fehlberg2
{
    private static readonly double[] B = { 1.0 / 512, 255.0 / 256, 1.0 / 512 };

    public static readonly ButcherTableau Tableau = new(
        name: "fehlberg2",
        order: 2,
        c: new[] { 0.0, 1.0 / 2, 1.0 },
        a: new[] { new[] { 1.0 / 2 }, new[] { 1.0 / 256, 255.0 / 256 } },
        b: B,
        // b̂ = (1/256, 255/256, 0), the solution the last stage is evaluated at.
        errorWeights: new[] { 1.0 / 512 - 1.0 / 256, 0.0, 1.0 / 512 },
        embeddedOrder: 1,
        midpointWeights: ButcherTableau.HermiteMidpoint(B),
        denseOutputOrder: 2);
}
