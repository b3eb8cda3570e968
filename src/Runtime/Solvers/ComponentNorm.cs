using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The error norm of a state made of several components packed into one row — the adjoint's y, a_y and one a_θ
/// per parameter: the largest of the components' root mean squares (torchdiffeq's mixed norm). Components can be
/// left out, which makes it Kidger, Chen and Lyons' seminorm ("Hey, that's not an ODE", ICML 2021) when the
/// parameter adjoints are excluded. The per-component means are one matrix product.
/// </summary>
internal sealed class ComponentNorm
{
    public ComponentNorm(long[] sizes, bool[] included)
    {
        if (sizes.Length != included.Length || !included.Any(i => i))
            throw new ArgumentException("A component norm needs one flag per component and at least one included component.");
        Sizes = sizes;
        Included = included;
    }

    public long[] Sizes { get; }

    public bool[] Included { get; }

    /// <summary>
    /// <c>[N, C]</c>: column c averages component c (1/size over its elements, 0 elsewhere), for the included ones.
    /// </summary>
    public Tensor Averaging(ScalarType dtype, Device device)
    {
        long total = Sizes.Sum();
        int columns = Included.Count(i => i);
        var weights = new double[total * columns];
        long offset = 0;
        int column = 0;
        for (int c = 0; c < Sizes.Length; c++)
        {
            if (Included[c])
            {
                for (long i = offset; i < offset + Sizes[c]; i++)
                    weights[i * columns + column] = 1.0 / Sizes[c];
                column++;
            }
            offset += Sizes[c];
        }
        return torch.tensor(weights, new long[] { total, columns }, dtype, device);
    }
}
