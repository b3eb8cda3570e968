using System;
using System.Linq;

namespace OdeDsl.Tableaux;

/// <summary>
/// An explicit Runge–Kutta method as data: nodes <c>c</c>, the strictly lower-triangular matrix <c>a</c> (row i has
/// i entries), solution weights <c>b</c>, optionally error weights <c>e = b − b̂</c> (b̂ the embedded solution) and
/// the weights of the solution at the step's midpoint, which give the 4th-order dense output.
/// One solver loop serves every tableau; adding a method means adding one of these.
/// </summary>
internal sealed class ButcherTableau
{
    public ButcherTableau(string name, int order, double[] c, double[][] a, double[] b, double[]? errorWeights = null, double[]? midpointWeights = null)
    {
        int stages = c.Length;
        if (a.Length != stages - 1 || a.Select((row, i) => row.Length != i + 1).Any(bad => bad) || b.Length != stages
            || (errorWeights is not null && errorWeights.Length != stages) || (midpointWeights is not null && midpointWeights.Length != stages))
            throw new ArgumentException($"The {name} tableau's arrays do not fit {stages} stages.");

        Name = name;
        Order = order;
        C = c;
        A = a;
        B = b;
        ErrorWeights = errorWeights;
        MidpointWeights = midpointWeights;
        // First same as last: the last stage is evaluated at (t0 + h, y1), so it is the next step's first stage.
        IsFsal = stages > 1 && c[stages - 1] == 1.0 && a[stages - 2].SequenceEqual(b.Take(stages - 1)) && b[stages - 1] == 0.0;
        if (midpointWeights is not null && !IsFsal)
            throw new ArgumentException($"The {name} dense output needs f(t1, y1), which only a first-same-as-last tableau provides.");
        DenseOutput = midpointWeights is null ? null : QuarticDenseOutput(b, midpointWeights);
    }

    /// <summary>The method's name as users know it.</summary>
    public string Name { get; }

    /// <summary>The order of the propagated solution; the step-size controller uses exponent 1/Order.</summary>
    public int Order { get; }

    public double[] C { get; }

    public double[][] A { get; }

    public double[] B { get; }

    /// <summary><c>b − b̂</c>; null for fixed-step methods.</summary>
    public double[]? ErrorWeights { get; }

    /// <summary>Weights of <c>y(t0 + h/2) ≈ y0 + h Σ m_j k_j</c>; null when the method has no dense output.</summary>
    public double[]? MidpointWeights { get; }

    public int Stages => C.Length;

    public bool IsFsal { get; }

    public bool IsAdaptive => ErrorWeights is not null;

    /// <summary>
    /// <c>[stage, power]</c>: the dense output is <c>y(t0 + θh) = y0 + h Σ_j (Σ_p W[j,p] θ^(p+1)) k_j</c>, p = 0..3.
    /// </summary>
    public double[,]? DenseOutput { get; }

    /// <summary>
    /// The quartic through y0, y1, y_mid with slopes f0, f1 at the ends (Shampine 1986), written as stage weights:
    /// substituting y1 = y0 + hΣb_j k_j and y_mid = y0 + hΣm_j k_j into its coefficients leaves y0 plus a
    /// combination of the stages, so one matrix product evaluates any number of output times.
    /// </summary>
    private static double[,] QuarticDenseOutput(double[] b, double[] m)
    {
        int last = b.Length - 1;
        var w = new double[b.Length, 4];
        for (int j = 0; j < b.Length; j++)
        {
            double first = j == 0 ? 1 : 0, final = j == last ? 1 : 0;
            w[j, 0] = first;
            w[j, 1] = final - 4 * first - 5 * b[j] + 16 * m[j];
            w[j, 2] = 5 * first - 3 * final + 14 * b[j] - 32 * m[j];
            w[j, 3] = 2 * final - 2 * first - 8 * b[j] + 16 * m[j];
        }
        return w;
    }
}
