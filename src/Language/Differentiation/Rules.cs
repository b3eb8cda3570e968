using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Differentiation;

/// <summary>
/// The derivative rules: for a node r with adjoint g, what each operand receives (g times the local derivative,
/// transposed for matrix products). Every rule is linear in g, so a negated adjoint passes its sign on unchanged.
/// </summary>
/// <remarks>
/// Rules prefer forward values and fused forms: tanh′ = 1 − r² from the stored r (<c>g − (g·r)·r</c>, one
/// <c>addcmul</c>), sigmoid′ = r(1 − r), exp′ = r, <c>(x/y)</c>′ for y = −r/y. Non-smooth points take the subgradient
/// torch's autograd takes for the operation the forward emits: <c>abs</c>′(0) = 0 (sign), <c>relu</c>′(0) = 0
/// (x &gt; 0), <c>min</c>/<c>max</c> of two values split g in halves at a tie (<c>torch.minimum</c>), while a clamp
/// against a literal or constant (<c>min(x, 1)</c>, emitted as <c>clamp_max</c>) passes all of g at the tie (x ≤ 1);
/// <c>norm</c>′ at the zero vector is 0, softplus′ is 1 above torch's threshold 20 (where torch's softplus is x).
/// One deliberate difference: a power with a tensor exponent does not special-case a zero base (torch gives
/// ∂/∂b = 0 there, this gives r·log(0)).
/// </remarks>
public sealed partial class ReverseMode
{
    /// <summary>Hands the adjoint <paramref name="g"/> of <paramref name="value"/> to the node's operands.</summary>
    private void Differentiate(IrValue value, IrValue g, bool negative)
    {
        switch (graph[value])
        {
            case IrUnary { Operator: IrUnaryOperator.Negate } negate:
                Give(negate.Operand, g, !negative);
                break;
            case IrBinary binary:
                Binary(value, binary, g, negative);
                break;
            case IrCall call:
                Call(value, call, g, negative);
                break;
            case IrMatrixProduct product:
                MatrixProduct(product, g, negative);
                break;
            case IrConcatenation concatenation:
            {
                int offset = 0;
                bool batched = graph[g].Type.Batched;
                foreach (IrValue part in concatenation.Parts)
                {
                    IrShape shape = graph[part].Type.Shape;
                    int width = shape.ElementCount;
                    IrValue piece = shape.IsScalar
                        ? graph.Add(new IrIndex(g, offset, new IrType(IrShape.Scalar, batched)))
                        : graph.Add(new IrSlice(g, offset, offset + width, new IrType(shape, batched)));
                    Give(part, piece, negative);
                    offset += width;
                }
                break;
            }
            case IrIndex index:
                Give(index.Target, graph.Add(new IrPad(g, index.Index, new IrType(graph[index.Target].Type.Shape, graph[g].Type.Batched))), negative);
                break;
            case IrSlice slice:
                Give(slice.Target, graph.Add(new IrPad(g, slice.Start, new IrType(graph[slice.Target].Type.Shape, graph[g].Type.Batched))), negative);
                break;
            default:
                throw new System.InvalidOperationException($"No derivative rule for {graph[value].GetType().Name}.");
        }
    }

    private void Binary(IrValue r, IrBinary binary, IrValue g, bool negative)
    {
        IrValue a = binary.Left, b = binary.Right;
        switch (binary.Operator)
        {
            case IrBinaryOperator.Add:
                Give(a, g, negative);
                Give(b, g, negative);
                break;
            case IrBinaryOperator.Subtract:
                Give(a, g, negative);
                Give(b, g, !negative);
                break;
            case IrBinaryOperator.Multiply:
                if (active[a.Index])
                    Give(a, Multiply(g, b), negative);
                if (active[b.Index])
                    Give(b, Multiply(g, a), negative);
                break;
            case IrBinaryOperator.Divide:
                // ∂(a/b)/∂a = 1/b; ∂(a/b)/∂b = −a/b² = −r/b.
                if (active[a.Index])
                    Give(a, Divide(g, b), negative);
                if (active[b.Index])
                    Give(b, Divide(Multiply(g, r), b), !negative);
                break;
            default:
                Power(r, a, b, g, negative);
                break;
        }
    }

    /// <summary>r = a^b: ∂r/∂a = b·a^(b−1) (an integer b − 1 stays exact for negative a), ∂r/∂b = r·log(a).</summary>
    private void Power(IrValue r, IrValue a, IrValue b, IrValue g, bool negative)
    {
        if (active[a.Index])
        {
            if (graph[b] is IrLiteral exponent)
            {
                // torch's pow backward: zero for the exponent 0; otherwise b·a^(b−1) with b − 1 folded.
                if (exponent.Value == 1.0)
                    Give(a, g, negative);
                else if (exponent.Value != 0.0)
                    Give(a, Multiply(g, Multiply(PowerOf(a, exponent.Value - 1.0), b)), negative);
            }
            else
            {
                IrValue lower = Subtract(b, Literal(1.0));
                Give(a, Multiply(g, Multiply(graph.Add(new IrBinary(IrBinaryOperator.Power, a, lower, graph[a].Type.Join(graph[lower].Type))), b)), negative);
            }
        }
        if (active[b.Index])
            Give(b, Multiply(Multiply(g, r), Function(IrFunction.Log, a)), negative);
    }

    private IrValue PowerOf(IrValue a, double exponent) =>
        exponent == 1.0 ? a : graph.Add(new IrBinary(IrBinaryOperator.Power, a, Literal(exponent), graph[a].Type));

    private void Call(IrValue r, IrCall call, IrValue g, bool negative)
    {
        IrValue x = call.Arguments[0];
        switch (call.Function)
        {
            case IrFunction.Exp:
                Give(x, Multiply(g, r), negative);
                break;
            case IrFunction.Log:
                Give(x, Divide(g, x), negative);
                break;
            case IrFunction.Sqrt:
                Give(x, Divide(g, Multiply(r, Literal(2.0))), negative);
                break;
            case IrFunction.Abs:
                Give(x, Multiply(g, Function(IrFunction.Sign, x)), negative);
                break;
            case IrFunction.Sin:
                Give(x, Multiply(g, Function(IrFunction.Cos, x)), negative);
                break;
            case IrFunction.Cos:
                Give(x, Multiply(g, Function(IrFunction.Sin, x)), !negative);
                break;
            case IrFunction.Tan:
                // 1 + r²: g + (g·r)·r.
                Give(x, Add(g, Multiply(Multiply(g, r), r)), negative);
                break;
            case IrFunction.Tanh:
                // 1 − r²: g − (g·r)·r.
                Give(x, Subtract(g, Multiply(Multiply(g, r), r)), negative);
                break;
            case IrFunction.Sigmoid:
            {
                // r(1 − r): g·r − (g·r)·r.
                IrValue gr = Multiply(g, r);
                Give(x, Subtract(gr, Multiply(gr, r)), negative);
                break;
            }
            case IrFunction.Relu:
                Give(x, Multiply(g, Compare(IrComparisonOperator.Greater, x, Literal(0.0))), negative);
                break;
            case IrFunction.Softplus:
                // torch's softplus is x itself above x = 20 (derivative 1), log(1 + eˣ) below (derivative sigmoid(x)).
                Give(x, Where(Compare(IrComparisonOperator.Greater, x, Literal(SoftplusThreshold)), g, Multiply(g, Function(IrFunction.Sigmoid, x))), negative);
                break;
            case IrFunction.Elu:
                // 1 for x > 0, eˣ otherwise: e^min(x, 0), exact at both sides.
                Give(x, Multiply(g, Function(IrFunction.Exp, graph.Add(new IrCall(IrFunction.Min, EquatableArray.Create(x, Literal(0.0)), graph[x].Type)))), negative);
                break;
            case IrFunction.Min:
            case IrFunction.Max:
                MinMax(call, g, negative);
                break;
            case IrFunction.Sum:
                Give(x, g, negative);
                break;
            case IrFunction.Mean:
            {
                int count = graph[x].Type.Shape.ElementCount;
                Give(x, count == 1 ? g : Divide(g, Literal(count)), negative);
                break;
            }
            case IrFunction.Norm:
                // A scalar's norm is its magnitude (forward: abs); a vector's: x/‖x‖, and 0 at the zero vector as in torch.
                if (graph[x].Type.Shape.IsScalar)
                    Give(x, Multiply(g, Function(IrFunction.Sign, x)), negative);
                else
                    Give(x, Multiply(Where(Compare(IrComparisonOperator.LessOrEqual, r, Literal(0.0)), Literal(0.0), Divide(g, r)), x), negative);
                break;
            case IrFunction.Dot:
            {
                IrValue y = call.Arguments[1];
                if (active[x.Index])
                    Give(x, Multiply(g, y), negative);
                if (active[y.Index])
                    Give(y, Multiply(g, x), negative);
                break;
            }
            default:
                throw new System.InvalidOperationException($"No derivative rule for {call.Function}.");
        }
    }

    /// <summary>
    /// min/max as the forward emits them: against a host value (literal, constant) a clamp, whose gradient passes at
    /// the tie; between two tensors <c>torch.minimum</c>/<c>maximum</c>, which split it in halves at a tie. The
    /// weight of the first argument is (sign(b − a) + 1)/2 for min (sign(a − b) for max): 1, ½ or 0, exactly.
    /// </summary>
    private void MinMax(IrCall call, IrValue g, bool negative)
    {
        bool min = call.Function == IrFunction.Min;
        IrValue a = call.Arguments[0], b = call.Arguments[1];
        bool hostA = IsHost(a), hostB = IsHost(b);
        if (hostA || hostB)
        {
            (IrValue tensor, IrValue bound) = hostA ? (b, a) : (a, b);
            IrComparisonOperator passes = min ? IrComparisonOperator.LessOrEqual : IrComparisonOperator.GreaterOrEqual;
            Give(tensor, Multiply(g, Compare(passes, tensor, bound)), negative);
            return;
        }
        IrValue difference = min ? Subtract(b, a) : Subtract(a, b);
        IrValue weight = Multiply(Add(Function(IrFunction.Sign, difference), Literal(1.0)), Literal(0.5));
        IrValue toA = Multiply(g, weight);
        Give(a, toA, negative);
        Give(b, Subtract(g, toA), negative);
    }

    /// <summary>
    /// Matrix products by rank: (m,n)@(n): ∂L = g vᵀ, ∂R = g @ L; (m,n)@(n,p): ∂L = g @ Rᵀ, ∂R = Lᵀ @ g;
    /// (n)@(n,p): ∂L = R @ g, ∂R = L gᵀ; (n)@(n): ∂L = g·R, ∂R = g·L. A weight shared by the batch then sums over it:
    /// for a layer <c>W @ v + b</c> that is ∂W = Σ_b g vᵀ (one matrix product over the batch) and ∂b = Σ_b g.
    /// </summary>
    private void MatrixProduct(IrMatrixProduct product, IrValue g, bool negative)
    {
        IrValue left = product.Left, right = product.Right;
        IrShape l = graph[left].Type.Shape, r = graph[right].Type.Shape;
        bool needLeft = active[left.Index], needRight = active[right.Index];
        switch (l.Rank, r.Rank)
        {
            case (1, 1):
                if (needLeft)
                    Give(left, Multiply(g, right), negative);
                if (needRight)
                    Give(right, Multiply(g, left), negative);
                break;
            case (2, 1):
                if (needLeft)
                    Give(left, Outer(g, right), negative);
                if (needRight)
                    Give(right, MatMul(g, left), negative);
                break;
            case (2, 2):
                if (needLeft)
                    Give(left, MatMul(g, Transpose(right)), negative);
                if (needRight)
                    Give(right, MatMul(Transpose(left), g), negative);
                break;
            default:
                if (needLeft)
                    Give(left, MatMul(right, g), negative);
                if (needRight)
                    Give(right, Outer(left, g), negative);
                break;
        }
    }

    /// <summary>Literals, constants and arithmetic on them: the values the emitter keeps on the host (GraphFacts.IsHost).</summary>
    private bool IsHost(IrValue value) => graph[value] switch
    {
        IrLiteral or IrConstantRead => true,
        IrCall { Function: IrFunction.Dot } => false,
        IrUnary or IrBinary or IrCall => System.Linq.Enumerable.All(graph[value].Operands, IsHost),
        _ => false,
    };

    /// <summary>torch.nn.functional.softplus's default threshold: above it the function is x itself.</summary>
    private const double SoftplusThreshold = 20.0;

    private IrValue Literal(double value) => graph.Add(new IrLiteral(value));

    private IrValue Where(IrValue condition, IrValue whenTrue, IrValue whenFalse) =>
        graph.Add(new IrWhere(condition, whenTrue, whenFalse, graph[condition].Type.Join(graph[whenTrue].Type).Join(graph[whenFalse].Type)));

    private IrValue Negate(IrValue value) => graph.Add(new IrUnary(IrUnaryOperator.Negate, value, graph[value].Type));

    private IrValue Add(IrValue a, IrValue b) => Arithmetic(IrBinaryOperator.Add, a, b);

    private IrValue Subtract(IrValue a, IrValue b) => Arithmetic(IrBinaryOperator.Subtract, a, b);

    private IrValue Multiply(IrValue a, IrValue b) =>
        graph[b] is IrLiteral { Value: 1.0 } ? a : graph[a] is IrLiteral { Value: 1.0 } ? b : Arithmetic(IrBinaryOperator.Multiply, a, b);

    private IrValue Divide(IrValue a, IrValue b) => Arithmetic(IrBinaryOperator.Divide, a, b);

    private IrValue Arithmetic(IrBinaryOperator op, IrValue a, IrValue b) =>
        graph.Add(new IrBinary(op, a, b, graph[a].Type.Join(graph[b].Type)));

    private IrValue Function(IrFunction function, IrValue x) =>
        graph.Add(new IrCall(function, EquatableArray.Create(x), graph[x].Type));

    private IrValue Compare(IrComparisonOperator op, IrValue a, IrValue b) =>
        graph.Add(new IrComparison(op, a, b, graph[a].Type.Join(graph[b].Type)));

    private IrValue Transpose(IrValue matrix)
    {
        IrType type = graph[matrix].Type;
        return graph.Add(new IrTranspose(matrix, new IrType(IrShape.Matrix(type.Shape.Dimensions[1], type.Shape.Dimensions[0]), type.Batched)));
    }

    private IrValue Outer(IrValue u, IrValue v)
    {
        IrType a = graph[u].Type, b = graph[v].Type;
        return graph.Add(new IrOuterProduct(u, v, new IrType(IrShape.Matrix(a.Shape.Dimensions[0], b.Shape.Dimensions[0]), a.Batched || b.Batched)));
    }

    /// <summary>A matrix product of a reverse rule, typed by numpy's rules for ranks 1 and 2.</summary>
    private IrValue MatMul(IrValue left, IrValue right)
    {
        IrType a = graph[left].Type, b = graph[right].Type;
        EquatableArray<int> l = a.Shape.Dimensions, r = b.Shape.Dimensions;
        IrShape shape = (a.Shape.Rank, b.Shape.Rank) switch
        {
            (2, 1) => IrShape.Vector(l[0]),
            (2, 2) => IrShape.Matrix(l[0], r[1]),
            (1, 2) => IrShape.Vector(r[1]),
            _ => IrShape.Scalar,
        };
        return graph.Add(new IrMatrixProduct(left, right, new IrType(shape, a.Batched || b.Batched)));
    }
}
