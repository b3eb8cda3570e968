using System;

namespace OdeDsl.Tableaux;

/// <summary>Maps each <see cref="OdeMethod"/> to its tableau.</summary>
internal static class Methods
{
    public static ButcherTableau Tableau(OdeMethod method) => method switch
    {
        OdeMethod.Dopri5 => Dopri5.Tableau,
        OdeMethod.Tsit5 => Tsit5.Tableau,
        OdeMethod.Dopri8 => Dopri8.Tableau,
        OdeMethod.Bosh3 => Bosh3.Tableau,
        OdeMethod.Fehlberg2 => Fehlberg2.Tableau,
        OdeMethod.AdaptiveHeun => AdaptiveHeun.Tableau,
        OdeMethod.Euler => FixedStepTableaux.Euler,
        OdeMethod.Midpoint => FixedStepTableaux.Midpoint,
        OdeMethod.Heun3 => FixedStepTableaux.Heun3,
        OdeMethod.Rk4 => FixedStepTableaux.Rk4,
        _ => throw new ArgumentException($"Unknown method {method}.", "options"),
    };
}
