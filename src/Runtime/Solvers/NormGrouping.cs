using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// Which elements of a <c>[B, D]</c> state one error norm takes the root mean square over, and so what shares a step
/// size: the whole batch (torchdiffeq), each sample (torchode), or each component of a state packed from several
/// (the adjoint's y, a_y and one a_θ per parameter), the norm then being the largest component RMS.
/// </summary>
internal sealed class NormGrouping
{
    private NormGrouping(bool perSample, long[]? componentSizes, bool[]? included)
    {
        IsPerSample = perSample;
        ComponentSizes = componentSizes;
        Included = included;
    }

    /// <summary>One RMS over every element of the batch: torchdiffeq's and Hairer–Wanner's norm.</summary>
    public static NormGrouping WholeBatch { get; } = new(false, null, null);

    /// <summary>One RMS per sample over its D columns: torchode's norm, one value per row.</summary>
    public static NormGrouping PerSample { get; } = new(true, null, null);

    /// <summary>
    /// For a state packed into one row from components of the given sizes: the largest of the included components'
    /// RMS (torchdiffeq's mixed norm). Leaving the parameter adjoints out makes it Kidger, Chen and Lyons' seminorm
    /// ("Hey, that's not an ODE", ICML 2021).
    /// </summary>
    public static NormGrouping LargestComponent(long[] sizes, bool[] included)
    {
        if (sizes.Length != included.Length || !included.Any(i => i))
            throw new ArgumentException("A component norm needs one flag per component and at least one included component.");
        return new NormGrouping(false, sizes, included);
    }

    /// <summary>Whether the norm has one value per sample (otherwise one for the whole state).</summary>
    public bool IsPerSample { get; }

    private long[]? ComponentSizes { get; }

    private bool[]? Included { get; }

    /// <summary>
    /// <c>[N, C]</c> for the component grouping (column c averages included component c: 1/size over its elements,
    /// 0 elsewhere), so that the per-component means are one matrix product; null for the other groupings.
    /// </summary>
    public Tensor? Averaging(ScalarType dtype, Device device)
    {
        if (ComponentSizes is not { } sizes || Included is not { } included)
            return null;
        long total = sizes.Sum();
        int columns = included.Count(i => i);
        var weights = new double[total * columns];
        long offset = 0;
        int column = 0;
        for (int c = 0; c < sizes.Length; c++)
        {
            if (included[c])
            {
                for (long i = offset; i < offset + sizes[c]; i++)
                    weights[i * columns + column] = 1.0 / sizes[c];
                column++;
            }
            offset += sizes[c];
        }
        return torch.tensor(weights, new long[] { total, columns }, dtype, device);
    }
}
