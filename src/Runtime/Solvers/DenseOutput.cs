using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using OdeDsl.Tableaux;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>Evaluates a step's dense output at the requested times it covers, all of them in one matrix product.</summary>
internal static class DenseOutput
{
    /// <summary>
    /// <c>[m, B, D]</c>: <c>y(ts[i]) = y0 + h Σ_j b_j(θ_i) k_j</c> for <c>i ∈ [first, end)</c>, θ_i = (ts[i] − t0) / h.
    /// The weights h·b_j(θ_i) are computed on the host, so this is one upload, one stack and one addmm.
    /// </summary>
    public static Tensor Evaluate(ButcherTableau tableau, Tensor y0, Tensor[] k, double t0, double h, double[] ts, int first, int end)
    {
        int m = end - first, stages = tableau.Stages;
        var weights = new double[m * stages];
        for (int i = 0; i < m; i++)
            WriteWeights(tableau, (ts[first + i] - t0) / h, h, weights, i * stages);

        long[] shape = y0.shape;
        long n = y0.numel();
        using Tensor w = torch.tensor(weights, new long[] { m, stages }, y0.dtype, y0.device);
        using Tensor stacked = torch.stack(k, 0);
        using Tensor flatStages = stacked.view(stages, n);
        // reshape, not view: y0 may be a caller's non-contiguous slice (a view when it is contiguous).
        using Tensor flatY0 = y0.reshape(1, n);
        using Tensor block = torch.addmm(flatY0, w, flatStages, beta: 1f, alpha: 1f);
        return block.view(m, shape[0], shape[1]);
    }

    /// <summary>
    /// <c>[m, D]</c>: for per-sample steps, <c>y_row(t0_row + θ h_row)</c> for each (row, θ) of <paramref name="points"/>
    /// (at most one per row), all rows in one batched matrix product; rows without a point get zero weights.
    /// </summary>
    public static Tensor EvaluateRows(ButcherTableau tableau, Tensor y0, Tensor[] k, IReadOnlyList<(int Row, double Theta)> points, double[] h)
    {
        int rows = (int)y0.shape[0], stages = tableau.Stages;
        var weights = new double[rows * stages];
        foreach (var (row, theta) in points)
            WriteWeights(tableau, theta, h[row], weights, row * stages);

        using var scope = torch.NewDisposeScope();
        Tensor w = torch.tensor(weights, new long[] { rows, 1, stages }, y0.dtype, y0.device);
        Tensor stacked = torch.stack(k, 1);                       // [B, S, D]
        Tensor values = y0.add(torch.bmm(w, stacked).squeeze(1));
        Tensor selected = torch.tensor(points.Select(p => (long)p.Row).ToArray(), ScalarType.Int64, y0.device);
        return values.index_select(0, selected).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes the stage weights <c>h·b_j(θ)</c> of the dense output at θ into <paramref name="into"/> from
    /// <paramref name="offset"/> on, so that <c>y(t0 + θh) = y0 + Σ_j weights[j] k_j</c>.
    /// </summary>
    public static void WriteWeights(ButcherTableau tableau, double theta, double h, double[] into, int offset)
    {
        double[,] polynomial = tableau.DenseOutput
            ?? throw new InvalidOperationException($"{tableau.Name} has no dense output.");
        for (int j = 0; j < tableau.Stages; j++)
        {
            // Horner in θ: θ(w0 + θ(w1 + θ(w2 + θ w3)))
            double wj = polynomial[j, 3];
            for (int p = 2; p >= 0; p--)
                wj = wj * theta + polynomial[j, p];
            into[offset + j] = h * wj * theta;
        }
    }
}
