using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The samples of a shared-step batch that failed while the others go on (<see cref="SolverOptions.ThrowOnFailure"/>).
/// Their derivative is zero from then on, so every stage keeps them at their last finite state and their local error
/// is exactly zero: they no longer advance, and no longer shrink the step. The dynamics still see the whole batch
/// (rows keep their positions), and the error norm is rescaled by <see cref="Dilution"/> so that the survivors'
/// steps are chosen as if they were solved alone.
/// </summary>
internal sealed class FrozenRows : IDisposable
{
    private readonly bool[] frozen;
    private readonly Device device;
    private readonly Scalar zero = 0.0.ToScalar();
    private Tensor? mask;

    /// <param name="like">The batch's state: its rows and device.</param>
    public FrozenRows(Tensor like)
    {
        frozen = new bool[like.shape[0]];
        device = like.device;
    }

    /// <summary>How many rows are frozen.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// <c>√(B / (B − frozen))</c>: the whole-batch RMS counts the frozen rows' zero errors in its mean; this factor
    /// turns it into the RMS over the rows still integrating.
    /// </summary>
    public double Dilution => Count == 0 ? 1.0 : Math.Sqrt((double)frozen.Length / (frozen.Length - Count));

    public void Add(IEnumerable<int> rows)
    {
        foreach (int row in rows)
        {
            if (!frozen[row])
                Count++;
            frozen[row] = true;
        }
        mask?.Dispose();
        using (torch.NewDisposeScope())
            mask = torch.tensor(frozen, new[] { (long)frozen.Length, 1L }, device: device).DetachFromDisposeScope();
    }

    /// <summary><paramref name="derivative"/> with the frozen rows zeroed (NaN and infinity included).</summary>
    public Tensor Apply(Tensor derivative) => mask is null ? derivative : derivative.masked_fill(mask, zero);

    /// <summary>The rows of <paramref name="ifFrozen"/> for the frozen samples, of <paramref name="otherwise"/> for the rest.</summary>
    public Tensor Select(Tensor ifFrozen, Tensor otherwise) => mask is null ? otherwise : torch.where(mask, ifFrozen, otherwise);

    public void Dispose()
    {
        mask?.Dispose();
        zero.Dispose();
    }
}
