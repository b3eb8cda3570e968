using TorchSharp;
using OdeDsl.Tableaux;
using static TorchSharp.torch;

namespace OdeDsl.Solvers.Dense;

/// <summary>
/// A step's dense output as a polynomial in θ = (t − t0) / h: <c>y(t0 + θh) = Σ_p θ^p C_p</c>, the coefficients
/// <c>C_p</c> stacked as <c>[P, B, D]</c>. Stored per step instead of the stages, it costs P states per step (5 for the
/// quartic dense output of dopri5 or tsit5, against their 7 stages) and evaluates with one weighted sum.
/// </summary>
internal static class StepPolynomial
{
    /// <summary>Coefficients per step: degree 4 (quartic dense output) or 3 (cubic Hermite), padded to the same size.</summary>
    public const int Size = 5;

    /// <summary>
    /// The tableau's quartic dense output: <c>C_0 = y0</c> and <c>C_(p+1) = h Σ_j P[j, p] k_j</c> (one matrix product
    /// over the stages), so that the polynomial is exactly what <see cref="DenseOutput"/> evaluates.
    /// </summary>
    public static Tensor FromTableau(ButcherTableau tableau, Tensor y0, Tensor[] stages, double h)
    {
        double[,] polynomial = tableau.DenseOutput!;
        int count = tableau.Stages;
        var weights = new double[4 * count];
        for (int p = 0; p < 4; p++)
            for (int j = 0; j < count; j++)
                weights[p * count + j] = h * polynomial[j, p];

        using var scope = torch.NewDisposeScope();
        long[] shape = y0.shape;
        Tensor w = torch.tensor(weights, new long[] { 4, count }, y0.dtype, y0.device);
        Tensor flatStages = torch.stack(stages, 0).view(count, -1);
        Tensor higher = torch.mm(w, flatStages);                                   // [4, B·D]
        Tensor all = torch.cat(new[] { y0.reshape(1, -1), higher }, 0);           // [5, B·D]
        return all.view(Size, shape[0], shape[1]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="FromTableau"/> for a step per row: row b's coefficients scale with its own step <c>h_b</c>
    /// (<paramref name="h"/>, <c>[B]</c>, the state's dtype), as per-sample stepping takes them.
    /// </summary>
    public static Tensor FromTableauRows(ButcherTableau tableau, Tensor y0, Tensor[] stages, Tensor h)
    {
        double[,] polynomial = tableau.DenseOutput!;
        int count = tableau.Stages;
        var weights = new double[4 * count];
        for (int p = 0; p < 4; p++)
            for (int j = 0; j < count; j++)
                weights[p * count + j] = polynomial[j, p];

        using var scope = torch.NewDisposeScope();
        long[] shape = y0.shape;
        Tensor w = torch.tensor(weights, new long[] { 4, count }, y0.dtype, y0.device);
        Tensor flatStages = torch.stack(stages, 0).view(count, -1);
        Tensor higher = torch.mm(w, flatStages).view(4, shape[0], shape[1]).mul(h.view(1, -1, 1));   // [4, B, D]
        return torch.cat(new[] { y0.unsqueeze(0), higher }, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The cubic Hermite interpolant through (y0, f0) and (y1, f1), for methods without a dense output of their own
    /// (the fixed-step ones): third order, continuous with continuous first derivative across steps.
    /// </summary>
    public static Tensor Hermite(Tensor y0, Tensor f0, Tensor y1, Tensor f1, double h)
    {
        using var scope = torch.NewDisposeScope();
        Tensor rise = y1.sub(y0);
        Tensor hf0 = f0.Times(h), hf1 = f1.Times(h);
        // y(θ) = y0 + θ h f0 + θ² (3Δ − 2h f0 − h f1) + θ³ (h f0 + h f1 − 2Δ)
        Tensor c2 = rise.Times(3).sub(hf0.Times(2)).sub(hf1);
        Tensor c3 = hf0.Plus(hf1).sub(rise.Times(2));
        return torch.stack(new[] { y0, hf0, c2, c3, torch.zeros_like(y0) }, 0).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Hermite"/> for a step per row (<paramref name="h"/>, <c>[B]</c>, the state's dtype).</summary>
    public static Tensor HermiteRows(Tensor y0, Tensor f0, Tensor y1, Tensor f1, Tensor h)
    {
        using var scope = torch.NewDisposeScope();
        Tensor column = h.unsqueeze(1);
        Tensor rise = y1.sub(y0);
        Tensor hf0 = f0.mul(column), hf1 = f1.mul(column);
        Tensor c2 = rise.Times(3).sub(hf0.Times(2)).sub(hf1);
        Tensor c3 = hf0.Plus(hf1).sub(rise.Times(2));
        return torch.stack(new[] { y0, hf0, c2, c3, torch.zeros_like(y0) }, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>[B, D]</c>: row b of the polynomial <paramref name="coefficients"/> (<c>[P, B, D]</c>) at its own
    /// <c>θ_b</c> (<paramref name="theta"/>, <c>[B]</c>); differentiable in both.
    /// </summary>
    public static Tensor EvaluateRows(Tensor coefficients, Tensor theta)
    {
        using var scope = torch.NewDisposeScope();
        Tensor result = coefficients[Size - 1];
        for (int p = Size - 2; p >= 0; p--)
            result = result.mul(theta.unsqueeze(1)).Plus(coefficients[p]);   // Horner in θ, row by row
        return result.MoveToOuterDisposeScope();
    }
}
