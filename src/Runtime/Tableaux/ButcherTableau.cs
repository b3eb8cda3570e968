using System;
using System.Linq;

namespace OdeDsl.Tableaux;

/// <summary>
/// A Runge–Kutta method as data: nodes <c>c</c>, the matrix <c>a</c>, solution weights <c>b</c>, optionally error
/// weights <c>e = b − b̂</c> (b̂ the embedded solution) and the weights of the solution at the step's midpoint, which
/// give the quartic dense output. The orders the method claims are data too, and the order-condition tests hold it to
/// them. An explicit method (a strictly lower triangular) is given by its rows below the diagonal; an implicit one
/// (entries on or above the diagonal: the stages are a system to solve) by its full matrix, and
/// <see cref="IsExplicit"/> tells the steppers which they have. One stepper serves every explicit tableau; adding an
/// explicit method means adding one of these.
/// </summary>
internal sealed class ButcherTableau
{
    /// <summary>An explicit method: row i − 1 of <paramref name="a"/> holds a_i0 … a_i(i−1) (so it has i entries).</summary>
    public ButcherTableau(string name, int order, double[] c, double[][] a, double[] b,
        double[]? errorWeights = null, int embeddedOrder = 0, double[]? midpointWeights = null, int denseOutputOrder = 0)
        : this(name, order, c, LowerTriangle(name, c.Length, a), b, errorWeights, embeddedOrder, midpointWeights, denseOutputOrder)
    {
    }

    /// <summary>Any method, explicit or implicit, from its full <c>[stages, stages]</c> matrix <paramref name="a"/>.</summary>
    public ButcherTableau(string name, int order, double[] c, double[,] a, double[] b,
        double[]? errorWeights = null, int embeddedOrder = 0, double[]? midpointWeights = null, int denseOutputOrder = 0)
    {
        int stages = c.Length;
        if (a.GetLength(0) != stages || a.GetLength(1) != stages || b.Length != stages
            || (errorWeights is not null && errorWeights.Length != stages) || (midpointWeights is not null && midpointWeights.Length != stages))
            throw new ArgumentException($"The {name} tableau's arrays do not fit {stages} stages.");
        if ((errorWeights is null) != (embeddedOrder == 0) || (midpointWeights is null) != (denseOutputOrder == 0))
            throw new ArgumentException($"The {name} tableau must state the order of its embedded solution and dense output exactly when it has them.");

        Name = name;
        Order = order;
        EmbeddedOrder = embeddedOrder;
        DenseOutputOrder = denseOutputOrder;
        C = c;
        Matrix = a;
        A = Enumerable.Range(1, stages - 1).Select(i => Enumerable.Range(0, i).Select(j => a[i, j]).ToArray()).ToArray();
        IsExplicit = Enumerable.Range(0, stages).All(i => Enumerable.Range(i, stages - i).All(j => a[i, j] == 0.0));
        B = b;
        ErrorWeights = errorWeights;
        MidpointWeights = midpointWeights;

        // The last stage is evaluated at t0 + h when its node is 1; at which state decides what it is worth.
        bool lastAtEnd = stages > 1 && c[stages - 1] == 1.0;
        // (Only an explicit method's last stage can be reused as is; an implicit one's is part of the system.)
        IsFsal = IsExplicit && lastAtEnd && LastRowIs(A, b);
        ReusesLastStage = IsFsal || (IsExplicit && lastAtEnd && errorWeights is not null && LastRowIs(A, Embedded(b, errorWeights)));
        if (midpointWeights is not null && !lastAtEnd)
            throw new ArgumentException($"The {name} dense output needs a slope at t0 + h, which only a tableau whose last node is 1 provides.");
        DenseOutput = midpointWeights is null ? null : QuarticDenseOutput(b, midpointWeights);
    }

    /// <summary>The method's name as users know it.</summary>
    public string Name { get; }

    /// <summary>The order of the propagated solution; the step-size controller uses exponent 1/Order.</summary>
    public int Order { get; }

    /// <summary>The order of the embedded solution <c>b̂ = b − e</c>; 0 for fixed-step methods.</summary>
    public int EmbeddedOrder { get; }

    /// <summary>The order of the dense output at every θ ∈ (0, 1]; 0 when the method has none.</summary>
    public int DenseOutputOrder { get; }

    public double[] C { get; }

    /// <summary>
    /// The rows below the diagonal: row i − 1 holds a_i0 … a_i(i−1). All of an explicit method's coefficients, and what
    /// the explicit stage loop combines.
    /// </summary>
    public double[][] A { get; }

    /// <summary><c>[stages, stages]</c>: every a_ij, strictly lower triangular exactly when the method is explicit.</summary>
    public double[,] Matrix { get; }

    /// <summary>
    /// Whether each stage depends only on the stages before it (a strictly lower triangular), so that a step is a
    /// sequence of evaluations; an implicit method's stages are a system of equations, which the explicit stepper
    /// refuses.
    /// </summary>
    public bool IsExplicit { get; }

    public double[] B { get; }

    /// <summary><c>b − b̂</c>; null for fixed-step methods.</summary>
    public double[]? ErrorWeights { get; }

    /// <summary>Weights of <c>y(t0 + h/2) ≈ y0 + h Σ m_j k_j</c>; null when the method has no dense output.</summary>
    public double[]? MidpointWeights { get; }

    public int Stages => C.Length;

    /// <summary>First same as last: the last stage is <c>f(t0 + h, y1)</c>, so y1 is its argument and it is the next step's first stage.</summary>
    public bool IsFsal { get; }

    /// <summary>
    /// The next step starts from this step's last stage instead of evaluating <c>f(t1, y1)</c>: true FSAL, or (Fehlberg's
    /// design, as torchdiffeq keeps it with local extrapolation) a last stage evaluated at <c>(t1, ŷ1)</c>, the embedded
    /// solution. Then the first stage differs from <c>f(t1, y1)</c> by O(h^(p̂+1)), which keeps the order of a method whose
    /// embedded order p̂ is at least p − 1, and saves one evaluation per step.
    /// </summary>
    public bool ReusesLastStage { get; }

    public bool IsAdaptive => ErrorWeights is not null;

    /// <summary>
    /// <c>[stage, power]</c>: the dense output is <c>y(t0 + θh) = y0 + h Σ_j (Σ_p W[j,p] θ^(p+1)) k_j</c>, p = 0..3.
    /// </summary>
    public double[,]? DenseOutput { get; }

    /// <summary>
    /// Midpoint weights that make the quartic dense output the cubic Hermite interpolant through y0, y1 and the end
    /// slopes: <c>y_mid = (y0 + y1)/2 + h (k_first − k_last)/8</c>, the interpolant Bogacki and Shampine designed their
    /// 3(2) pair for. Third order with an exact end slope; second order when the end slope is taken at the
    /// embedded solution.
    /// </summary>
    public static double[] HermiteMidpoint(double[] b)
    {
        var m = b.Select(w => w / 2).ToArray();
        m[0] += 1.0 / 8;
        m[^1] -= 1.0 / 8;
        return m;
    }

    /// <summary>The full matrix of an explicit method given by its rows below the diagonal.</summary>
    private static double[,] LowerTriangle(string name, int stages, double[][] rows)
    {
        if (rows.Length != Math.Max(stages - 1, 0) || rows.Select((row, i) => row.Length != i + 1).Any(bad => bad))
            throw new ArgumentException($"The {name} tableau's arrays do not fit {stages} stages.");
        var matrix = new double[stages, stages];
        for (int i = 1; i < stages; i++)
        {
            for (int j = 0; j < i; j++)
                matrix[i, j] = rows[i - 1][j];
        }
        return matrix;
    }

    private static double[] Embedded(double[] b, double[] errorWeights) => b.Zip(errorWeights, (w, e) => w - e).ToArray();

    /// <summary>Is the last stage evaluated at <c>y0 + h Σ w_j k_j</c> (with <c>w</c> ignoring the last stage itself)?</summary>
    private static bool LastRowIs(double[][] a, double[] weights) =>
        weights[^1] == 0.0 && a[^1].Zip(weights).All(p => Math.Abs(p.First - p.Second) <= 1e-15 * Math.Max(1, Math.Abs(p.Second)));

    /// <summary>
    /// The quartic through y0, y1, y_mid with slopes f0, f1 at the ends (Shampine 1986), written as stage weights:
    /// substituting y1 = y0 + hΣb_j k_j and y_mid = y0 + hΣm_j k_j into its coefficients leaves y0 plus a
    /// combination of the stages, so one matrix product evaluates any number of output times. The end slope f1 is
    /// the last stage.
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
