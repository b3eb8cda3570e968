namespace OdeDsl;

/// <summary>
/// The integration methods: every explicit method of torchdiffeq. Names follow torchdiffeq and OrdinaryDiffEq.jl;
/// the tableaux in <c>Tableaux/</c> cite their papers.
/// </summary>
public enum OdeMethod
{
    /// <summary>Dormand–Prince 5(4), 7 stages, FSAL, 4th-order dense output (torchdiffeq's default).</summary>
    Dopri5,

    /// <summary>Tsitouras 5(4), 7 stages, FSAL, 4th-order dense output.</summary>
    Tsit5,

    /// <summary>Dormand–Prince 8(7), 13 stages (+1 FSAL stage), 4th-order dense output.</summary>
    Dopri8,

    /// <summary>Bogacki–Shampine 3(2), 4 stages, FSAL, 3rd-order (Hermite) dense output.</summary>
    Bosh3,

    /// <summary>Runge–Kutta–Fehlberg 2(1), 3 stages (2 evaluations per step), 2nd-order dense output.</summary>
    Fehlberg2,

    /// <summary>Heun's method with an Euler error estimate, 2(1) (1 evaluation per step), 2nd-order dense output.</summary>
    AdaptiveHeun,

    /// <summary>Explicit Euler, fixed step, order 1.</summary>
    Euler,

    /// <summary>Explicit midpoint, fixed step, order 2.</summary>
    Midpoint,

    /// <summary>The classical Runge–Kutta method, fixed step, order 4.</summary>
    Rk4,

    /// <summary>Heun's third-order method, fixed step, 3 stages.</summary>
    Heun3,
}
