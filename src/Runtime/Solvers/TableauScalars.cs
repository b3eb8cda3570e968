using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using OdeDsl.Tableaux;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// A tableau's coefficients as TorchSharp scalars, created once per solve: an implicit double → Scalar conversion
/// allocates a native object that only the finalizer frees, which a loop of a million steps must not do.
/// Zero coefficients are kept as null and skipped.
/// </summary>
internal sealed class TableauScalars : IDisposable
{
    private readonly List<Scalar> owned = new();

    public TableauScalars(ButcherTableau tableau)
    {
        A = tableau.A.Select(Create).ToArray();
        B = Create(tableau.B);
        E = tableau.ErrorWeights is null ? null : Create(tableau.ErrorWeights);
        C = tableau.C.Select(c =>
        {
            Scalar s = c.ToScalar();
            owned.Add(s);
            return s;
        }).ToArray();
    }

    /// <summary>The nodes, every one (per-sample steps scale each sample's step by them on the device).</summary>
    public Scalar[] C { get; }

    public Scalar?[][] A { get; }

    public Scalar?[] B { get; }

    public Scalar?[]? E { get; }

    /// <summary><c>Σ_j w_j k_j</c> over the non-zero weights: one multiply, then fused multiply-adds.</summary>
    public static Tensor Combine(Scalar?[] weights, IReadOnlyList<Tensor> stages)
    {
        Tensor? sum = null;
        for (int j = 0; j < weights.Length; j++)
        {
            if (weights[j] is not { } w)
                continue;
            sum = sum is null ? stages[j].mul(w) : sum.add_(stages[j], alpha: w);
        }
        return sum ?? throw new InvalidOperationException("A tableau row has no non-zero weight.");
    }

    public void Dispose()
    {
        foreach (Scalar s in owned)
            s.Dispose();
    }

    private Scalar?[] Create(double[] weights) => weights.Select(w =>
    {
        if (w == 0.0)
            return null;
        Scalar s = w.ToScalar();
        owned.Add(s);
        return s;
    }).ToArray();
}
