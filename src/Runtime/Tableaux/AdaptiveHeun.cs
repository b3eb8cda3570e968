namespace OdeDsl.Tableaux;

/// <summary>
/// Heun's method with an Euler error estimate, 2(1): K. Heun, "Neue Methode zur approximativen Integration der
/// Differentialgleichungen einer unabhängigen Veränderlichen", Z. Math. Phys. 45 (1900) 23–38. The embedded solution
/// is the Euler predictor <c>ŷ1 = y0 + h k1</c> at which the second stage is evaluated. As in torchdiffeq, the next
/// step starts from that stage, <c>f(t1, ŷ1)</c>, not from <c>f(t1, y1)</c>: one evaluation per step, and still
/// second order (the slopes differ by O(h²)).
/// <para>
/// Deliberate difference from torchdiffeq 0.2.5 (outputs only): the dense output's midpoint is the cubic Hermite one
/// instead of the first-order Euler half step <c>y0 + (h/2) k1</c>, so outputs between steps are second-order.
/// </para>
/// </summary>
internal static class AdaptiveHeun
{
    private static readonly double[] B = { 1.0 / 2, 1.0 / 2 };

    public static readonly ButcherTableau Tableau = new(
        name: "adaptive_heun",
        order: 2,
        c: new[] { 0.0, 1.0 },
        a: new[] { new[] { 1.0 } },
        b: B,
        // b̂ = (1, 0): Euler.
        errorWeights: new[] { -1.0 / 2, 1.0 / 2 },
        embeddedOrder: 1,
        midpointWeights: ButcherTableau.HermiteMidpoint(B),
        denseOutputOrder: 2);
}
