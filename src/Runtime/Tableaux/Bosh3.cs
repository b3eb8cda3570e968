namespace OdeDsl.Tableaux;

/// <summary>
/// Bogacki–Shampine 3(2): P. Bogacki and L. F. Shampine, "A 3(2) pair of Runge–Kutta formulas", Appl. Math. Lett. 2
/// (1989) 321–325. 4 stages, FSAL, the 3rd-order solution propagated; error weights b − b̂ as torchdiffeq (and the
/// paper) use them.
/// <para>
/// Deliberate difference from torchdiffeq 0.2.5 (outputs only, never the steps): its midpoint <c>y0 + (h/2) k2</c> is
/// only first-order accurate, which puts an O(h²) error into every output between steps. Here the midpoint is the
/// cubic Hermite one the pair was designed for, so the dense output is the paper's 3rd-order interpolant.
/// </para>
/// </summary>
internal static class Bosh3
{
    private static readonly double[] B = { 2.0 / 9, 1.0 / 3, 4.0 / 9, 0.0 };

    public static readonly ButcherTableau Tableau = new(
        name: "bosh3",
        order: 3,
        c: new[] { 0.0, 1.0 / 2, 3.0 / 4, 1.0 },
        a: new[] { new[] { 1.0 / 2 }, new[] { 0.0, 3.0 / 4 }, B[..3] },
        b: B,
        errorWeights: new[] { 2.0 / 9 - 7.0 / 24, 1.0 / 3 - 1.0 / 4, 4.0 / 9 - 1.0 / 3, -1.0 / 8 },
        embeddedOrder: 2,
        midpointWeights: ButcherTableau.HermiteMidpoint(B),
        denseOutputOrder: 3);
}
