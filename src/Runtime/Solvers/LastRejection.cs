using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The last rejected shared step of a batch, kept so that when the batch cannot go on (step size underflow,
/// NaN/infinity that smaller steps do not cure, a rejected MinStep) the samples to blame can be named: those whose own
/// error ratio exceeded one. Keeps two detached tensors per rejected step (no copy, no host read); reads them to the
/// host only on that failure path.
/// </summary>
internal sealed class LastRejection : IDisposable
{
    private readonly long[] columns = { 1 };
    private Tensor? squares, y1;
    private double h;

    /// <summary>A step of <paramref name="step"/> was rejected with these scaled squared errors and end state.</summary>
    public void Remember(Tensor scaledSquares, Tensor end, double step)
    {
        Forget();
        squares = scaledSquares.detach().DetachFromDisposeScope();
        y1 = end.detach().DetachFromDisposeScope();
        h = step;
    }

    /// <summary>A step was accepted: an older rejection must not be blamed for a later failure.</summary>
    public void Forget()
    {
        squares?.Dispose();
        y1?.Dispose();
        squares = y1 = null;
    }

    /// <summary>
    /// Among <paramref name="candidates"/> (the rows still integrating), those that failed the last rejected step: for
    /// a <paramref name="nonFinite"/> failure the rows with NaN or infinity in their error or state, otherwise (or when
    /// none has) the rows whose own RMS error ratio exceeds one. Every candidate when no rejection is known or none
    /// can be named, so that the batch stops as a whole rather than looping.
    /// </summary>
    public int[] Culprits(bool nonFinite, IReadOnlyList<int> candidates)
    {
        if (squares is null || y1 is null || candidates.Count <= 1)
            return candidates.ToArray();
        double[] meanSquares;
        bool[] finiteState;
        using (torch.NewDisposeScope())
        {
            meanSquares = squares.mean(columns).to(ScalarType.Float64, torch.CPU).data<double>().ToArray();
            finiteState = torch.isfinite(y1).all(1).cpu().data<bool>().ToArray();
        }
        int[] broken = candidates.Where(b => !double.IsFinite(meanSquares[b]) || !finiteState[b]).ToArray();
        if (nonFinite && broken.Length > 0)
            return broken;
        int[] over = candidates.Where(b => !(Math.Abs(h) * Math.Sqrt(meanSquares[b]) <= 1)).ToArray();
        return over.Length > 0 ? over : candidates.ToArray();
    }

    public void Dispose() => Forget();
}
