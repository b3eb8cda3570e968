namespace OdeDsl.Tableaux;

/// <summary>
/// Dormand–Prince 5(4): J. R. Dormand and P. J. Prince, "A family of embedded Runge–Kutta formulae",
/// J. Comput. Appl. Math. 6 (1980) 19–26. The error estimate and the midpoint weights of the dense output are
/// Shampine's: L. F. Shampine, "Some practical Runge–Kutta formulas", Math. Comp. 46 (1986) 135–150 — the same
/// ones torchdiffeq uses, so that step sequences (and function-evaluation counts) agree with it.
/// </summary>
internal static class Dopri5
{
    public static readonly ButcherTableau Tableau = new(
        name: "dopri5",
        order: 5,
        c: new[] { 0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0 },
        a: new[]
        {
            new[] { 1.0 / 5 },
            new[] { 3.0 / 40, 9.0 / 40 },
            new[] { 44.0 / 45, -56.0 / 15, 32.0 / 9 },
            new[] { 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729 },
            new[] { 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656 },
            new[] { 35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84 },
        },
        b: new[] { 35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0.0 },
        errorWeights: new[]
        {
            35.0 / 384 - 1951.0 / 21600, 0.0, 500.0 / 1113 - 22642.0 / 50085, 125.0 / 192 - 451.0 / 720,
            -2187.0 / 6784 + 12231.0 / 42400, 11.0 / 84 - 649.0 / 6300, -1.0 / 60,
        },
        embeddedOrder: 4,
        midpointWeights: new[]
        {
            6025192743.0 / 30085553152 / 2, 0.0, 51252292925.0 / 65400821598 / 2, -2691868925.0 / 45128329728 / 2,
            187940372067.0 / 1594534317056 / 2, -1776094331.0 / 19743644256 / 2, 11237099.0 / 235043384 / 2,
        },
        denseOutputOrder: 4);
}
