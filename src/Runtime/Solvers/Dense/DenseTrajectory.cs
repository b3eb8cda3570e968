using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers.Dense;

/// <summary>
/// The continuous solution of a dense solve: step k covers [start_k, start_k + h_k] (h negative in reverse time) with
/// the polynomial <c>Polynomials[k]</c> (<c>[P, B, D]</c>, see <see cref="StepPolynomial"/>). Evaluating it costs no
/// function evaluation: a host search for each time's step, then one batched weighted sum.
/// </summary>
internal sealed class DenseTrajectory : IDisposable
{
    private readonly double[] starts, steps;
    private readonly double first, last;
    private readonly string model;

    public DenseTrajectory(double[] starts, double[] steps, Tensor polynomials, double first, double last, string model)
    {
        this.model = model;
        this.starts = starts;
        this.steps = steps;
        this.first = first;
        this.last = last;
        Polynomials = polynomials;
    }

    /// <summary><c>[K, P, B, D]</c>: every accepted step's polynomial.</summary>
    public Tensor Polynomials { get; }

    /// <summary>The number of steps kept.</summary>
    public int Steps => starts.Length;

    /// <summary>
    /// <c>[N, B, D]</c>: the solution at each of <paramref name="times"/> (1-D, any order, inside the solved interval).
    /// Differentiable with respect to the solve's inputs (through the polynomials) and to <paramref name="times"/>.
    /// </summary>
    public Tensor Evaluate(Tensor times)
    {
        double[] requested;
        using (torch.NewDisposeScope())
        using (torch.no_grad())
            requested = times.detach().to(ScalarType.Float64, torch.CPU).data<double>().ToArray();

        var index = new long[requested.Length];
        var stepStart = new double[requested.Length];
        var stepSize = new double[requested.Length];
        double low = Math.Min(first, last), high = Math.Max(first, last), slack = 1e-12 * Math.Max(1.0, Math.Abs(high - low));
        for (int i = 0; i < requested.Length; i++)
        {
            double t = requested[i];
            if (!(t >= low - slack && t <= high + slack))
                throw new ArgumentOutOfRangeException(nameof(times), string.Format(CultureInfo.InvariantCulture,
                    "{0}: the dense solution covers [{1:G9}, {2:G9}]; times[{3}] = {4:G9} is outside it (solve over a longer interval to evaluate there).",
                    model, low, high, i, t));
            int k = StepCovering(t);
            index[i] = k;
            stepStart[i] = starts[k];
            stepSize[i] = steps[k];
        }

        using var scope = torch.NewDisposeScope();
        Device device = Polynomials.device;
        ScalarType dtype = Polynomials.dtype;
        Tensor selected = Polynomials.index_select(0, torch.tensor(index, ScalarType.Int64, device));     // [N, P, B, D]
        // θ from the times tensor itself, so that the result is differentiable in the times too.
        Tensor theta = (times.to(dtype) - torch.tensor(stepStart, dtype, device)) / torch.tensor(stepSize, dtype, device);
        Tensor result = selected[.., StepPolynomial.Size - 1];
        Tensor th = theta.view(-1, 1, 1);
        for (int p = StepPolynomial.Size - 2; p >= 0; p--)
            result = result.mul(th).Plus(selected[.., p]);
        return result.MoveToOuterDisposeScope();
    }

    // The step whose interval holds t (steps are in solve order; the first or last one at the ends).
    private int StepCovering(double t)
    {
        double direction = Math.Sign(last - first);
        int lo = 0, hi = starts.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (direction * (t - starts[mid]) >= 0)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    }

    public void Dispose() => Polynomials.Dispose();
}
