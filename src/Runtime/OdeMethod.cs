namespace OdeDsl;

/// <summary>The integration methods. Names follow torchdiffeq and OrdinaryDiffEq.jl.</summary>
public enum OdeMethod
{
    /// <summary>Dormand–Prince 5(4), 7 stages, FSAL, 4th-order dense output (torchdiffeq's default).</summary>
    Dopri5,

    /// <summary>Tsitouras 5(4), 7 stages, FSAL.</summary>
    Tsit5,

    /// <summary>Dormand–Prince 8(7), 13 stages.</summary>
    Dopri8,

    /// <summary>Bogacki–Shampine 3(2), 4 stages, FSAL.</summary>
    Bosh3,

    /// <summary>Runge–Kutta–Fehlberg 2(1), 3 stages.</summary>
    Fehlberg2,

    /// <summary>Heun's method with an Euler error estimate, 2(1).</summary>
    AdaptiveHeun,

    /// <summary>Explicit Euler, fixed step, order 1.</summary>
    Euler,

    /// <summary>Explicit midpoint, fixed step, order 2.</summary>
    Midpoint,

    /// <summary>The classical Runge–Kutta method, fixed step, order 4.</summary>
    Rk4,
}
