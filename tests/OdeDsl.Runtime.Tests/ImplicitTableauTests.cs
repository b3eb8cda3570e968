using System;
using System.Linq;
using OdeDsl.Solvers;
using OdeDsl.Tableaux;
using Xunit;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Tableaux can describe implicit methods (a full matrix a), which the explicit stepper refuses by name; every
/// built-in method is explicit and its full matrix agrees with its rows below the diagonal.
/// </summary>
public class ImplicitTableauTests
{
    // The implicit midpoint rule (Gauss–Legendre, one stage): k = f(t0 + h/2, y0 + h/2 k), order 2.
    private static readonly ButcherTableau ImplicitMidpoint = new(
        name: "implicit_midpoint", order: 2, c: new[] { 0.5 }, a: new double[,] { { 0.5 } }, b: new[] { 1.0 });

    [Fact]
    public void AFullMatrixWithADiagonalIsImplicit()
    {
        Assert.False(ImplicitMidpoint.IsExplicit);
        Assert.False(ImplicitMidpoint.IsFsal);
        Assert.Equal(0.5, ImplicitMidpoint.Matrix[0, 0]);
    }

    [Fact]
    public void TheExplicitStepperRefusesAnImplicitTableau()
    {
        var error = Assert.Throws<ArgumentException>(() => new RungeKuttaStepper(ImplicitMidpoint));
        Assert.Contains("implicit_midpoint is an implicit Runge–Kutta method", error.Message);
    }

    [Fact]
    public void EveryMethodIsExplicitWithItsRowsInTheFullMatrix()
    {
        foreach (OdeMethod method in Enum.GetValues<OdeMethod>())
        {
            ButcherTableau tableau = Methods.Tableau(method);
            Assert.True(tableau.IsExplicit, tableau.Name);
            for (int i = 0; i < tableau.Stages; i++)
            {
                for (int j = 0; j < tableau.Stages; j++)
                    Assert.Equal(j < i ? tableau.A[i - 1][j] : 0.0, tableau.Matrix[i, j]);
            }
            using IStepper stepper = Steppers.Create(method);
            Assert.Equal(tableau.Name, stepper.Name);
        }
    }
}
