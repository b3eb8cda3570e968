namespace OdeDsl.Tableaux;

/// <summary>The classical fixed-step methods (Butcher, "Numerical Methods for ODEs", 2016, §23–§32).</summary>
internal static class FixedStepTableaux
{
    /// <summary>Explicit Euler, order 1.</summary>
    public static readonly ButcherTableau Euler = new(
        name: "euler", order: 1, c: new[] { 0.0 }, a: new double[0][], b: new[] { 1.0 });

    /// <summary>Explicit midpoint (Runge 1895), order 2.</summary>
    public static readonly ButcherTableau Midpoint = new(
        name: "midpoint", order: 2, c: new[] { 0.0, 0.5 }, a: new[] { new[] { 0.5 } }, b: new[] { 0.0, 1.0 });

    /// <summary>
    /// Heun's third-order method: K. Heun, "Neue Methode zur approximativen Integration der Differentialgleichungen
    /// einer unabhängigen Veränderlichen", Z. Math. Phys. 45 (1900) 23–38 (torchdiffeq's <c>heun3</c>).
    /// </summary>
    public static readonly ButcherTableau Heun3 = new(
        name: "heun3",
        order: 3,
        c: new[] { 0.0, 1.0 / 3, 2.0 / 3 },
        a: new[] { new[] { 1.0 / 3 }, new[] { 0.0, 2.0 / 3 } },
        b: new[] { 1.0 / 4, 0.0, 3.0 / 4 });

    /// <summary>The classical Runge–Kutta method (Kutta 1901), order 4.</summary>
    public static readonly ButcherTableau Rk4 = new(
        name: "rk4",
        order: 4,
        c: new[] { 0.0, 0.5, 0.5, 1.0 },
        a: new[] { new[] { 0.5 }, new[] { 0.0, 0.5 }, new[] { 0.0, 0.0, 1.0 } },
        b: new[] { 1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6 });
}
