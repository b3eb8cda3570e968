using System;

namespace OdeDsl.Tableaux;

/// <summary>Maps each <see cref="OdeMethod"/> to its tableau.</summary>
internal static class Methods
{
    public static ButcherTableau Tableau(OdeMethod method) => method switch
    {
        OdeMethod.Dopri5 => Dopri5.Tableau,
        OdeMethod.Euler => FixedStepTableaux.Euler,
        OdeMethod.Midpoint => FixedStepTableaux.Midpoint,
        OdeMethod.Rk4 => FixedStepTableaux.Rk4,
        _ => throw new ArgumentException($"The method {method} is not available yet; use Dopri5, Euler, Midpoint or Rk4.", "options"),
    };
}
