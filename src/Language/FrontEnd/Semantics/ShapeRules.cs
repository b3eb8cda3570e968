namespace OdeDsl.Language.Semantics;

/// <summary>The shape algebra of the operators; null means the shapes do not fit.</summary>
internal static class ShapeRules
{
    /// <summary>Elementwise: equal shapes, or a scalar on either side (no other broadcasting).</summary>
    public static Shape? Broadcast(Shape left, Shape right)
    {
        if (left.IsScalar)
            return right;
        if (right.IsScalar || left == right)
            return left;
        return null;
    }

    /// <summary>'@' as in numpy for ranks 1 and 2: (m,n)@(n) → (m), (m,n)@(n,p) → (m,p), (n)@(n,p) → (p), (n)@(n) → ().</summary>
    public static Shape? MatrixProduct(Shape left, Shape right)
    {
        if (left.IsScalar || right.IsScalar || left.Rank > 2 || right.Rank > 2)
            return null;
        int inner = left[left.Rank - 1];
        if (inner != right[0])
            return null;
        return (left.Rank, right.Rank) switch
        {
            (2, 1) => Shape.Vector(left[0]),
            (2, 2) => Shape.Matrix(left[0], right[1]),
            (1, 2) => Shape.Vector(right[1]),
            _ => Shape.Scalar,
        };
    }
}
