using System.Collections.Generic;
using TorchSharp;
using OdeDsl.Tableaux;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>One explicit Runge–Kutta step of any tableau.</summary>
internal static class RungeKuttaStep
{
    /// <summary>
    /// Advances <paramref name="y0"/> from <paramref name="t0"/> by <paramref name="h"/> (negative in reverse time),
    /// given <c>f0 = f(t0, y0)</c>. Returns the stages <c>k</c> (k[0] is f0) and the new state; for a first-same-as-last
    /// tableau the new state is the last stage's argument and <c>k[^1] = f(t0 + h, y1)</c>.
    /// Tensors are created in the caller's dispose scope; everything here is differentiable.
    /// </summary>
    public static (Tensor Y1, Tensor[] Stages) Take(Dynamics f, ButcherTableau tableau, TableauScalars weights,
        double t0, Tensor y0, Tensor f0, double h)
    {
        var k = new Tensor[tableau.Stages];
        k[0] = f0;
        using Scalar step = h.ToScalar();
        Tensor? yi = null;
        for (int i = 1; i < tableau.Stages; i++)
        {
            // y_i = y0 + h Σ_j a_ij k_j
            using (Tensor increment = TableauScalars.Combine(weights.A[i - 1], k))
                yi = y0.add(increment, alpha: step);
            // The last node of an FSAL method is exactly t0 + h, not t0 + 1.0·h rounded differently.
            double ti = tableau.C[i] == 1.0 ? t0 + h : t0 + tableau.C[i] * h;
            k[i] = f.Evaluate(ti, yi);
        }
        if (tableau.IsFsal)
            return (yi!, k);
        using Tensor total = TableauScalars.Combine(weights.B, k);
        return (y0.add(total, alpha: step), k);
    }
}
