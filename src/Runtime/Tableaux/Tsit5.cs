namespace OdeDsl.Tableaux;

/// <summary>
/// Tsitouras 5(4): Ch. Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the first column simplifying
/// assumption", Comput. Math. Appl. 62 (2011) 770–775: 7 stages, FSAL, the 5th-order solution propagated (local
/// extrapolation), error weights b − b̂ as published, and the paper's 4th-order continuous extension at θ = 1/2 as
/// the midpoint of the quartic dense output (torchdiffeq's midpoint).
/// <para>
/// Deliberate difference from torchdiffeq 0.2.5: its <c>c_sol</c> is the embedded 4th-order b̂, so it propagates
/// the lower-order solution while controlling the step as an order-5 method. Here y1 is Tsitouras' 5th-order
/// solution (the FSAL row). Same error estimate and controller, so the step counts stay within 1% of torchdiffeq's
/// (PeerProblemTests) while the solution is 4–5× more accurate on the spiral.
/// </para>
/// </summary>
internal static class Tsit5
{
    private static readonly double[] B =
    {
        0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774, 0.0,
    };

    public static readonly ButcherTableau Tableau = new(
        name: "tsit5",
        order: 5,
        c: new[] { 0.0, 0.161, 0.327, 0.9, 0.9800255409045097, 1.0, 1.0 },
        a: new[]
        {
            new[] { 0.161 },
            new[] { -0.008480655492356989, 0.335480655492357 },
            new[] { 2.8971530571054935, -6.359448489975075, 4.3622954328695815 },
            new[] { 5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525 },
            new[] { 5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383 },
            B[..6],
        },
        b: B,
        errorWeights: new[]
        {
            0.0017800110522257714, 0.0008164344596567469, -0.007880878010261995, 0.1447110071732629,
            -0.5823571654525552, 0.45808210592918697, -1.0 / 66,
        },
        embeddedOrder: 4,
        midpointWeights: ContinuousExtension(0.5),
        denseOutputOrder: 4);

    /// <summary>The paper's interpolant: <c>y(t0 + θh) ≈ y0 + h Σ_j b_j(θ) k_j</c>, with b_j(1) = b_j.</summary>
    private static double[] ContinuousExtension(double x) => new[]
    {
        -1.0530884977290216 * x * (x - 1.329989018975412) * (x * x - 1.4364028541716351 * x + 0.7139816917074209),
        0.1017 * x * x * (x * x - 2.1966568338249754 * x + 1.2949852507374631),
        2.490627285651252793 * x * x * (x * x - 2.38535645472061657 * x + 1.57803468208092486),
        -16.54810288924490272 * (x - 1.21712927295533244) * (x - 0.61620406037800089) * x * x,
        47.37952196281928122 * (x - 1.203071208372362603) * (x - 0.658047292653547382) * x * x,
        -34.87065786149660974 * (x - 1.2) * (x - 2.0 / 3) * x * x,
        2.5 * (x - 1) * (x - 0.6) * x * x,
    };
}
