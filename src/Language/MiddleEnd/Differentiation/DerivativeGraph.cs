using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Differentiation;

/// <summary>A term of a derivative: <see cref="Value"/>, to be subtracted when <see cref="Negative"/>.</summary>
/// <remarks>
/// Every derivative is linear in its seed, so a sign can travel with a term instead of costing a negation: the
/// derivative of <c>a − b</c> hands <c>b</c> its seed marked negative, and whoever sums the terms subtracts it.
/// </remarks>
internal readonly record struct Term(IrValue Value, bool Negative)
{
    public Term Negated => this with { Negative = !Negative };
}

/// <summary>
/// The arithmetic derivative rules are written in: typed constructors of IR nodes on a hash-consing builder, so a
/// derivative reads forward values where it can and equal subexpressions become one node.
/// </summary>
internal sealed class DerivativeGraph
{
    private readonly IrGraphBuilder builder = new(shareEqualNodes: true);

    /// <summary>Starts from the kernel being differentiated: its nodes keep their indices.</summary>
    public DerivativeGraph(IrKernel kernel)
    {
        foreach (IrNode node in kernel.Nodes)
            builder.Add(node);
    }

    public IrNode this[IrValue value] => builder[value];

    public IrType TypeOf(IrValue value) => builder[value].Type;

    public IrValue Add(IrNode node) => builder.Add(node);

    public EquatableArray<IrNode> ToNodes() => builder.ToNodes();

    public IrValue Literal(double value) => builder.Add(new IrLiteral(value));

    public IrValue Negate(IrValue value) => builder.Add(new IrUnary(IrUnaryOperator.Negate, value, TypeOf(value)));

    public IrValue Add(IrValue a, IrValue b) => Arithmetic(IrBinaryOperator.Add, a, b);

    public IrValue Subtract(IrValue a, IrValue b) => Arithmetic(IrBinaryOperator.Subtract, a, b);

    /// <summary><c>a·b</c>, or the other factor when one is the literal 1.</summary>
    public IrValue Multiply(IrValue a, IrValue b) =>
        builder[b] is IrLiteral { Value: 1.0 } ? a : builder[a] is IrLiteral { Value: 1.0 } ? b : Arithmetic(IrBinaryOperator.Multiply, a, b);

    public IrValue Divide(IrValue a, IrValue b) => Arithmetic(IrBinaryOperator.Divide, a, b);

    /// <summary><c>a^exponent</c> for a literal exponent; <c>a</c> itself for 1.</summary>
    public IrValue PowerOf(IrValue a, double exponent) =>
        exponent == 1.0 ? a : builder.Add(new IrBinary(IrBinaryOperator.Power, a, Literal(exponent), TypeOf(a)));

    public IrValue Power(IrValue a, IrValue b) => Arithmetic(IrBinaryOperator.Power, a, b);

    public IrValue Function(IrFunction function, IrValue x) => builder.Add(new IrCall(function, EquatableArray.Create(x), TypeOf(x)));

    public IrValue Function(IrFunction function, IrValue x, IrValue y) =>
        builder.Add(new IrCall(function, EquatableArray.Create(x, y), TypeOf(x).Join(TypeOf(y))));

    /// <summary>A reduction of one argument to a scalar per sample (sum, mean).</summary>
    public IrValue Reduce(IrFunction function, IrValue x) =>
        builder.Add(new IrCall(function, EquatableArray.Create(x), TypeOf(x) with { Shape = IrShape.Scalar }));

    public IrValue Dot(IrValue x, IrValue y) =>
        builder.Add(new IrCall(IrFunction.Dot, EquatableArray.Create(x, y), TypeOf(x).Join(TypeOf(y)) with { Shape = IrShape.Scalar }));

    public IrValue Compare(IrComparisonOperator op, IrValue a, IrValue b) =>
        builder.Add(new IrComparison(op, a, b, TypeOf(a).Join(TypeOf(b))));

    public IrValue Where(IrValue condition, IrValue whenTrue, IrValue whenFalse) =>
        builder.Add(new IrWhere(condition, whenTrue, whenFalse, TypeOf(condition).Join(TypeOf(whenTrue)).Join(TypeOf(whenFalse))));

    public IrValue Transpose(IrValue matrix)
    {
        IrType type = TypeOf(matrix);
        return builder.Add(new IrTranspose(matrix, type with { Shape = IrShape.Matrix(type.Shape.Dimensions[1], type.Shape.Dimensions[0]) }));
    }

    public IrValue Outer(IrValue u, IrValue v)
    {
        IrType a = TypeOf(u), b = TypeOf(v);
        return builder.Add(new IrOuterProduct(u, v, a.Join(b) with { Shape = IrShape.Matrix(a.Shape.Dimensions[0], b.Shape.Dimensions[0]) }));
    }

    /// <summary>
    /// A matrix product typed by numpy's rules for ranks 1 and 2. A matrix times a concatenation whose parts are all
    /// zero but one (a tangent of <c>W @ [h; t]</c>: the time has none) is the matrix's columns for that part times the
    /// part — no concatenation and no zeros.
    /// </summary>
    public IrValue MatMul(IrValue left, IrValue right)
    {
        if (TypeOf(left).Shape.Rank == 2 && builder[right] is IrConcatenation concatenation && OnlyNonZeroPart(concatenation) is (IrValue part, int offset))
        {
            int width = TypeOf(part).Shape.ElementCount;
            return MatMul(Slice(left, offset, offset + width, axis: 1), TypeOf(part).Shape.IsScalar ? Broadcast(part, TypeOf(part) with { Shape = IrShape.Vector(1) }) : part);
        }
        IrType a = TypeOf(left), b = TypeOf(right);
        EquatableArray<int> l = a.Shape.Dimensions, r = b.Shape.Dimensions;
        IrShape shape = (a.Shape.Rank, b.Shape.Rank) switch
        {
            (2, 1) => IrShape.Vector(l[0]),
            (2, 2) => IrShape.Matrix(l[0], r[1]),
            (1, 2) => IrShape.Vector(r[1]),
            _ => IrShape.Scalar,
        };
        return builder.Add(new IrMatrixProduct(left, right, a.Join(b) with { Shape = shape }));
    }

    /// <summary>The one part of a concatenation that is not a broadcast zero, and its first element; null otherwise.</summary>
    private (IrValue Part, int Offset)? OnlyNonZeroPart(IrConcatenation concatenation)
    {
        (IrValue, int)? found = null;
        int offset = 0;
        foreach (IrValue part in concatenation.Parts)
        {
            bool zero = builder[part] is IrBroadcast { Operand: var operand } && builder[operand] is IrLiteral { Value: 0.0 };
            if (!zero)
            {
                if (found is not null)
                    return null;
                found = (part, offset);
            }
            offset += TypeOf(part).Shape.ElementCount;
        }
        return found;
    }

    /// <summary>Element <paramref name="index"/> (or row) of <paramref name="target"/> along its first per-sample axis.</summary>
    public IrValue Index(IrValue target, int index)
    {
        IrType type = TypeOf(target);
        return builder.Add(new IrIndex(target, index, type with { Shape = new IrShape(type.Shape.Dimensions.Skip(1).ToEquatableArray()) }));
    }

    /// <summary>Elements <c>[start, end)</c> of <paramref name="target"/> along its per-sample axis <paramref name="axis"/> (1: a matrix's columns).</summary>
    public IrValue Slice(IrValue target, int start, int end, int axis = 0)
    {
        IrType type = TypeOf(target);
        var dimensions = type.Shape.Dimensions.ToArray();
        dimensions[axis] = end - start;
        return builder.Add(new IrSlice(target, start, end, type with { Shape = new IrShape(dimensions.ToEquatableArray()) }, axis));
    }

    /// <summary>Zeros of <paramref name="shape"/> with <paramref name="value"/> written at <paramref name="start"/> along per-sample axis <paramref name="axis"/>.</summary>
    public IrValue Pad(IrValue value, int start, IrShape shape, int axis = 0) =>
        builder.Add(new IrPad(value, start, TypeOf(value) with { Shape = shape }, axis));

    /// <summary><paramref name="value"/> repeated to <paramref name="type"/> (a scalar to a shape, an unbatched value to the batch).</summary>
    public IrValue Broadcast(IrValue value, IrType type) => TypeOf(value) == type ? value : builder.Add(new IrBroadcast(value, type));

    /// <summary><paramref name="value"/> summed down to <paramref name="type"/> (over the elements, over the batch).</summary>
    public IrValue ReduceBroadcast(IrValue value, IrType type) => TypeOf(value) == type ? value : builder.Add(new IrReduceBroadcast(value, type));

    /// <summary>
    /// Literals, constants and arithmetic on them: values fixed for the whole evaluation, which a backend keeps off
    /// the tensors (a clamp against one is a different operation from a minimum of two tensors).
    /// </summary>
    public bool IsFixed(IrValue value) => builder[value] switch
    {
        IrLiteral or IrConstantRead => true,
        IrCall { Function: IrFunction.Dot } => false,
        IrUnary or IrBinary or IrCall => builder[value].Operands.All(IsFixed),
        _ => false,
    };

    /// <summary>The sum of signed terms in order; negative overall (with magnitudes summed) when every term is.</summary>
    public Term Sum(System.Collections.Generic.IReadOnlyList<Term> terms)
    {
        int first = -1;
        for (int i = 0; i < terms.Count && first < 0; i++)
            first = terms[i].Negative ? -1 : i;
        bool negative = first < 0;
        first = negative ? 0 : first;
        IrValue sum = terms[first].Value;
        for (int i = 0; i < terms.Count; i++)
        {
            if (i == first)
                continue;
            bool subtract = terms[i].Negative != negative;
            sum = subtract ? Subtract(sum, terms[i].Value) : Add(sum, terms[i].Value);
        }
        return new Term(sum, negative);
    }

    private IrValue Arithmetic(IrBinaryOperator op, IrValue a, IrValue b) =>
        builder.Add(new IrBinary(op, a, b, TypeOf(a).Join(TypeOf(b))));
}
