using System.Globalization;
using System.Linq;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// A per-sample shape: <c>()</c> scalar, <c>(n)</c> vector, <c>(m, n)</c> matrix. The batch
/// dimension is never part of it (states and what depends on them are batched implicitly).
/// </summary>
public readonly record struct Shape(EquatableArray<int> Dimensions)
{
    public static Shape Scalar => new(EquatableArray<int>.Empty);

    public static Shape Vector(int length) => new(EquatableArray.Create(length));

    public static Shape Matrix(int rows, int columns) => new(EquatableArray.Create(rows, columns));

    public int Rank => Dimensions.Count;

    public bool IsScalar => Rank == 0;

    public bool IsVector => Rank == 1;

    public bool IsMatrix => Rank == 2;

    /// <summary>The number of elements (1 for a scalar).</summary>
    public int Size => Dimensions.Aggregate(1, (product, d) => product * d);

    public int this[int axis] => Dimensions[axis];

    public override string ToString() =>
        "(" + string.Join(", ", Dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
}
