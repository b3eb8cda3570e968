using System.Linq;

namespace OdeDsl.Language.Ir;

/// <summary>
/// The per-sample shape of an IR value: empty for a scalar, <c>[n]</c> for a vector, <c>[m, n]</c> for a matrix.
/// The batch dimension is never part of it; <see cref="IrType.Batched"/> says whether the value carries one.
/// </summary>
public sealed record IrShape(EquatableArray<int> Dimensions)
{
    public static IrShape Scalar { get; } = new(EquatableArray<int>.Empty);

    public static IrShape Vector(int length) => new(EquatableArray.Create(length));

    public static IrShape Matrix(int rows, int columns) => new(EquatableArray.Create(rows, columns));

    public int Rank => Dimensions.Count;

    public bool IsScalar => Dimensions.Count == 0;

    /// <summary>The number of elements per sample (1 for a scalar).</summary>
    public int ElementCount => Dimensions.Aggregate(1, (product, dimension) => product * dimension);

    public override string ToString() => "[" + string.Join(", ", Dimensions) + "]";
}

/// <summary>
/// The type of an IR value: its per-sample shape, whether it varies across the batch (it depends on a state or
/// on the time, which may differ per sample), and whether it carries one value per tangent direction (a forward-mode
/// derivative taken along every basis direction of the state at once, as for the Jacobian). Unbatched values
/// (parameters, constants and anything computed only from them) are computed once per evaluation, not once per
/// sample; undirected ones once for every direction.
/// </summary>
/// <remarks>A batched, directed value of shape S is laid out <c>[B, D, S…]</c>: the batch, then the D directions, then the sample's own axes.</remarks>
public sealed record IrType(IrShape Shape, bool Batched, bool Directed = false)
{
    public static IrType Scalar { get; } = new(IrShape.Scalar, Batched: false);

    public static IrType BatchedScalar { get; } = new(IrShape.Scalar, Batched: true);

    /// <summary>The type of an elementwise result: batched if any operand is (shapes must already agree).</summary>
    public IrType Join(IrType other) =>
        new(Shape.IsScalar ? other.Shape : Shape, Batched || other.Batched, Directed || other.Directed); // scalars broadcast against vectors

    public override string ToString() => (Batched ? "B" : "") + (Directed ? "D" : "") + Shape;
}
