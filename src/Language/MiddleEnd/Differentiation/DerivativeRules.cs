using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Differentiation;

/// <summary>
/// The derivative of every operation of the IR, stated once and read by both modes: forward mode asks how the
/// tangents of a node's operands move the node (<see cref="Tangent"/>, a JVP), reverse mode how the node's adjoint
/// moves one operand (<see cref="Adjoint"/>, a VJP, the transpose).
/// </summary>
/// <remarks>
/// <para>
/// Two kinds of rule, as in JAX (a JVP per primitive, a transpose per linear primitive):
/// <list type="bullet">
/// <item>Elementwise operations have a diagonal Jacobian, which is its own transpose: one rule
/// (<see cref="ScaleElementwise"/>) multiplies a seed by the local derivative, and both modes use it. Every
/// subgradient convention lives there.</item>
/// <item>Structural operations (matrix products, reductions, concatenation, indexing, broadcasts, transposes, pads)
/// are linear in each operand (the norm aside, whose derivative is one inner product): the forward rule applies
/// the operation itself to the tangent (<see cref="JacobianTimes"/>), the reverse rule its transpose
/// (<see cref="TransposedJacobianTimes"/>), written case for case in the same order.</item>
/// </list>
/// Broadcasting is the caller's: a forward rule may return a tangent smaller than its node (a scalar seed scaling a
/// vector's derivative) for the caller to broadcast, and a reverse rule an adjoint larger than its operand for the
/// caller to sum.
/// </para>
/// <para>
/// Rules prefer forward values and fused forms: tanh′ = 1 − r² from the stored r (<c>g − (g·r)·r</c>, one
/// <c>addcmul</c>), sigmoid′ = r(1 − r), exp′ = r, <c>(x/y)</c>′ for y = −r/y. Non-smooth points take the subgradient
/// torch's autograd takes for the operation the forward computes: <c>abs</c>′(0) = 0 (sign), <c>relu</c>′(0) = 0
/// (x &gt; 0), <c>min</c>/<c>max</c> of two values split the seed in halves at a tie (<c>torch.minimum</c>), while a
/// clamp against a fixed value (<c>min(x, 1)</c>, a literal or constant) passes all of it at the tie (x ≤ 1);
/// <c>norm</c>′ at the zero vector is 0. Softplus is log(1 + eˣ) exactly (computed as −log σ(−x)), without the
/// threshold of torch's softplus above which that returns x itself (a difference below 2.1·10⁻⁹). <c>sign</c>′ = 0
/// everywhere (0 at zero too, as torch). <c>gelu</c> is exact, x·Φ(x) with the erf form of Φ (torch's default
/// <c>approximate = 'none'</c>), and so is its derivative Φ(x) + x·φ(x); <c>silu</c>′ = σ + r(1 − σ). <c>clamp</c>,
/// <c>pow</c>, <c>square</c> and <c>cube</c> are bound as min/max and <c>^</c> and take their rules: clamp against
/// fixed bounds passes the gradient at both ties (lo ≤ x ≤ hi, as torch.clamp); against varying bounds the min/max
/// halves apply at a tie, where torch.clamp with tensor bounds gives all of it to x.
/// One deliberate difference: a power with a tensor exponent does not special-case a zero base (torch gives
/// ∂/∂b = 0 there, this gives r·log(0)).
/// </para>
/// </remarks>
internal sealed class DerivativeRules
{
    private const double Ln2 = 0.69314718055994530942;
    private const double TwoOverSqrtPi = 1.12837916709551257390;
    private const double SqrtHalf = 0.70710678118654752440;
    private const double OneOverSqrtTwoPi = 0.39894228040143267794;

    private readonly DerivativeGraph graph;

    public DerivativeRules(DerivativeGraph graph) => this.graph = graph;

    /// <summary>
    /// Forward mode: the tangent of node <paramref name="r"/> given the tangents of its operands (null where an
    /// operand's tangent is zero); null when the node's tangent is zero.
    /// </summary>
    public Term? Tangent(IrValue r, IReadOnlyList<Term?> operands)
    {
        if (graph[r] is IrConcatenation concatenation)
            return ConcatenateTangents(concatenation, operands);
        var terms = new List<Term>();
        for (int i = 0; i < operands.Count; i++)
        {
            if (operands[i] is Term seed && (IsElementwise(graph[r]) ? ScaleElementwise(r, i, seed) : JacobianTimes(r, i, seed)) is Term term)
                terms.Add(term);
        }
        return terms.Count == 0 ? null : graph.Sum(terms);
    }

    /// <summary>Reverse mode: what the adjoint <paramref name="seed"/> of node <paramref name="r"/> adds to operand <paramref name="operand"/>'s; null for nothing.</summary>
    public Term? Adjoint(IrValue r, int operand, Term seed) =>
        IsElementwise(graph[r]) ? ScaleElementwise(r, operand, seed) : TransposedJacobianTimes(r, operand, seed);

    /// <summary>Operations whose Jacobian is diagonal (after broadcasting).</summary>
    private static bool IsElementwise(IrNode node) => node switch
    {
        IrUnary or IrBinary or IrComparison or IrWhere => true,
        IrCall call => !IrOperatorFacts.IsReduction(call.Function),
        _ => false,
    };

    /// <summary>The seed times ∂r/∂(operand) for an elementwise r: the same in both modes.</summary>
    private Term? ScaleElementwise(IrValue r, int operand, Term seed)
    {
        IrValue g = seed.Value;
        switch (graph[r])
        {
            case IrUnary { Operator: IrUnaryOperator.Negate }:
                return seed.Negated;
            case IrBinary binary:
                return Binary(r, binary, operand, seed);
            case IrComparison:
                return null; // an indicator is piecewise constant
            case IrWhere where:
                // Only the branches carry derivatives; the condition is an indicator.
                return operand switch
                {
                    1 => seed with { Value = graph.Where(where.Condition, g, graph.Literal(0.0)) },
                    2 => seed with { Value = graph.Where(where.Condition, graph.Literal(0.0), g) },
                    _ => null,
                };
            case IrCall call:
                return Call(r, call, operand, seed);
            default:
                throw new System.InvalidOperationException($"No elementwise derivative for {graph[r].GetType().Name}.");
        }
    }

    private Term? Binary(IrValue r, IrBinary binary, int operand, Term seed)
    {
        IrValue a = binary.Left, b = binary.Right, g = seed.Value;
        switch (binary.Operator)
        {
            case IrBinaryOperator.Add:
                return seed;
            case IrBinaryOperator.Subtract:
                return operand == 0 ? seed : seed.Negated;
            case IrBinaryOperator.Multiply:
                return seed with { Value = graph.Multiply(g, operand == 0 ? b : a) };
            case IrBinaryOperator.Divide:
                // ∂(a/b)/∂a = 1/b; ∂(a/b)/∂b = −a/b² = −r/b.
                return operand == 0 ? seed with { Value = graph.Divide(g, b) } : new Term(graph.Divide(graph.Multiply(g, r), b), !seed.Negative);
            default:
                return operand == 0 ? PowerBase(a, b, seed) : seed with { Value = graph.Multiply(graph.Multiply(g, r), graph.Function(IrFunction.Log, a)) };
        }
    }

    /// <summary>∂(a^b)/∂a = b·a^(b−1), with b − 1 folded for a literal b (exact for negative a); zero for the exponent 0, as torch.</summary>
    private Term? PowerBase(IrValue a, IrValue b, Term seed)
    {
        if (graph[b] is IrLiteral exponent)
        {
            if (exponent.Value == 0.0)
                return null;
            return exponent.Value == 1.0 ? seed : seed with { Value = graph.Multiply(seed.Value, graph.Multiply(graph.PowerOf(a, exponent.Value - 1.0), b)) };
        }
        IrValue lower = graph.Subtract(b, graph.Literal(1.0));
        return seed with { Value = graph.Multiply(seed.Value, graph.Multiply(graph.Power(a, lower), b)) };
    }

    private Term? Call(IrValue r, IrCall call, int operand, Term seed)
    {
        IrValue x = call.Arguments[0], g = seed.Value;
        Term Scaled(IrValue value) => seed with { Value = value };
        switch (call.Function)
        {
            case IrFunction.Exp:
                return Scaled(graph.Multiply(g, r));
            case IrFunction.Log:
                return Scaled(graph.Divide(g, x));
            case IrFunction.Sqrt:
                return Scaled(graph.Divide(g, graph.Multiply(r, graph.Literal(2.0))));
            case IrFunction.Abs:
                return Scaled(graph.Multiply(g, graph.Function(IrFunction.Sign, x)));
            case IrFunction.Sin:
                return Scaled(graph.Multiply(g, graph.Function(IrFunction.Cos, x)));
            case IrFunction.Cos:
                return Scaled(graph.Multiply(g, graph.Function(IrFunction.Sin, x))).Negated;
            case IrFunction.Tan:
                // 1 + r²: g + (g·r)·r.
                return Scaled(graph.Add(g, graph.Multiply(graph.Multiply(g, r), r)));
            case IrFunction.Tanh:
                // 1 − r²: g − (g·r)·r.
                return Scaled(graph.Subtract(g, graph.Multiply(graph.Multiply(g, r), r)));
            case IrFunction.Sigmoid:
            {
                // r(1 − r): g·r − (g·r)·r.
                IrValue gr = graph.Multiply(g, r);
                return Scaled(graph.Subtract(gr, graph.Multiply(gr, r)));
            }
            case IrFunction.Relu:
                return Scaled(graph.Multiply(g, graph.Compare(IrComparisonOperator.Greater, x, graph.Literal(0.0))));
            case IrFunction.Softplus:
                // log(1 + eˣ)′ = sigmoid(x), everywhere (the generated softplus has no threshold).
                return Scaled(graph.Multiply(g, graph.Function(IrFunction.Sigmoid, x)));
            case IrFunction.Elu:
                // 1 for x > 0, eˣ otherwise: e^min(x, 0), exact at both sides.
                return Scaled(graph.Multiply(g, graph.Function(IrFunction.Exp, graph.Function(IrFunction.Min, x, graph.Literal(0.0)))));
            case IrFunction.Sinh:
                return Scaled(graph.Multiply(g, graph.Function(IrFunction.Cosh, x)));
            case IrFunction.Cosh:
                return Scaled(graph.Multiply(g, graph.Function(IrFunction.Sinh, x)));
            case IrFunction.Asinh:
                // 1/√(x² + 1).
                return Scaled(graph.Divide(g, graph.Function(IrFunction.Sqrt, graph.Add(graph.Multiply(x, x), graph.Literal(1.0)))));
            case IrFunction.Atanh:
                // 1/(1 − x²).
                return Scaled(graph.Divide(g, graph.Subtract(graph.Literal(1.0), graph.Multiply(x, x))));
            case IrFunction.Atan:
                // 1/(1 + x²).
                return Scaled(graph.Divide(g, graph.Add(graph.Multiply(x, x), graph.Literal(1.0))));
            case IrFunction.Exp2:
                // r·log 2.
                return Scaled(graph.Multiply(graph.Multiply(g, r), graph.Literal(Ln2)));
            case IrFunction.Log1p:
                // 1/(1 + x).
                return Scaled(graph.Divide(g, graph.Add(x, graph.Literal(1.0))));
            case IrFunction.Expm1:
                // r + 1: g + g·r.
                return Scaled(graph.Add(g, graph.Multiply(g, r)));
            case IrFunction.Erf:
                // (2/√π)·e^(−x²).
                return Scaled(graph.Multiply(graph.Multiply(g, graph.Function(IrFunction.Exp, graph.Negate(graph.Multiply(x, x)))), graph.Literal(TwoOverSqrtPi)));
            case IrFunction.Gelu:
            {
                // (x·Φ(x))′ = Φ(x) + x·φ(x), Φ(x) = (1 + erf(x/√2))/2, φ(x) = e^(−x²/2)/√(2π): torch's rule for approximate = 'none'.
                IrValue cdf = graph.Add(graph.Multiply(graph.Function(IrFunction.Erf, graph.Multiply(x, graph.Literal(SqrtHalf))), graph.Literal(0.5)), graph.Literal(0.5));
                IrValue pdf = graph.Multiply(graph.Function(IrFunction.Exp, graph.Multiply(graph.Multiply(x, x), graph.Literal(-0.5))), graph.Literal(OneOverSqrtTwoPi));
                return Scaled(graph.Multiply(g, graph.Add(cdf, graph.Multiply(x, pdf))));
            }
            case IrFunction.Silu:
            {
                // (x·σ(x))′ = σ + x·σ(1 − σ) = σ + r·(1 − σ).
                IrValue sigma = graph.Function(IrFunction.Sigmoid, x);
                return Scaled(graph.Multiply(g, graph.Add(sigma, graph.Multiply(r, graph.Subtract(graph.Literal(1.0), sigma)))));
            }
            case IrFunction.Sign:
                return null; // piecewise constant: 0 everywhere, as torch (also at 0)
            case IrFunction.Min:
            case IrFunction.Max:
                return MinMax(call, operand, seed);
            default:
                throw new System.InvalidOperationException($"No derivative rule for {call.Function}.");
        }
    }

    /// <summary>
    /// min/max: against a fixed value (literal, constant) a clamp, whose derivative passes at the tie; between two
    /// varying values <c>torch.minimum</c>/<c>maximum</c>, which split it in halves at a tie. The weight of the first
    /// argument is (sign(b − a) + 1)/2 for min (sign(a − b) for max): 1, ½ or 0, exactly.
    /// </summary>
    private Term? MinMax(IrCall call, int operand, Term seed)
    {
        bool min = call.Function == IrFunction.Min;
        IrValue a = call.Arguments[0], b = call.Arguments[1], g = seed.Value;
        bool fixedA = graph.IsFixed(a), fixedB = graph.IsFixed(b);
        if (fixedA || fixedB)
        {
            (IrValue varying, IrValue bound) = fixedA ? (b, a) : (a, b);
            if ((operand == 0 ? a : b) != varying)
                return null;
            IrComparisonOperator passes = min ? IrComparisonOperator.LessOrEqual : IrComparisonOperator.GreaterOrEqual;
            return seed with { Value = graph.Multiply(g, graph.Compare(passes, varying, bound)) };
        }
        IrValue difference = min ? graph.Subtract(b, a) : graph.Subtract(a, b);
        IrValue weight = graph.Multiply(graph.Add(graph.Function(IrFunction.Sign, difference), graph.Literal(1.0)), graph.Literal(0.5));
        IrValue toA = graph.Multiply(g, weight);
        return seed with { Value = operand == 0 ? toA : graph.Subtract(g, toA) };
    }

    /// <summary>Forward rule of a structural operation: its Jacobian times the operand's tangent — the operation itself applied to the tangent, the other operands held.</summary>
    private Term? JacobianTimes(IrValue r, int operand, Term seed)
    {
        IrValue t = seed.Value;
        switch (graph[r])
        {
            case IrMatrixProduct product:
                return seed with { Value = operand == 0 ? graph.MatMul(t, product.Right) : graph.MatMul(product.Left, t) };
            case IrCall { Function: IrFunction.Dot } dot:
                return seed with { Value = graph.Dot(operand == 0 ? t : dot.Arguments[0], operand == 0 ? dot.Arguments[1] : t) };
            case IrCall { Function: IrFunction.Sum or IrFunction.Mean } call:
                return graph.TypeOf(call.Arguments[0]).Shape.IsScalar ? seed : seed with { Value = graph.Reduce(call.Function, t) };
            case IrCall { Function: IrFunction.Norm } norm:
            {
                // ∂‖x‖ = (x·ẋ)/‖x‖, and 0 at the zero vector. Of a scalar: its magnitude.
                IrValue x = norm.Arguments[0];
                if (graph.TypeOf(x).Shape.IsScalar)
                    return seed with { Value = graph.Multiply(t, graph.Function(IrFunction.Sign, x)) };
                // The inner product x·ẋ: one dot for vectors, an elementwise product summed for matrices.
                IrValue inner = graph.TypeOf(x).Shape.Rank == 1 ? graph.Dot(x, t) : graph.Reduce(IrFunction.Sum, graph.Multiply(x, t));
                return seed with { Value = graph.Where(AtZero(r), graph.Literal(0.0), graph.Divide(inner, r)) };
            }
            case IrIndex index:
                return seed with { Value = graph.Index(t, index.Index) };
            case IrSlice slice:
                return seed with { Value = graph.Slice(t, slice.Start, slice.End, slice.Axis) };
            case IrPad pad:
                return seed with { Value = graph.Pad(t, pad.Start, pad.Type.Shape, pad.Axis) };
            case IrBroadcast broadcast:
                return seed with { Value = graph.Broadcast(t, TangentType(broadcast.Type, t)) };
            case IrReduceBroadcast reduce:
                return seed with { Value = graph.ReduceBroadcast(t, new IrType(reduce.Type.Shape, reduce.Type.Batched && graph.TypeOf(t).Batched, graph.TypeOf(t).Directed)) };
            case IrTranspose:
                return seed with { Value = graph.Transpose(t) };
            case IrOuterProduct outer:
                return seed with { Value = operand == 0 ? graph.Outer(t, outer.Right) : graph.Outer(outer.Left, t) };
            default:
                throw new System.InvalidOperationException($"No forward derivative rule for {graph[r].GetType().Name}.");
        }
    }

    /// <summary>
    /// Reverse rule of a structural operation: the transpose of <see cref="JacobianTimes"/>, case for case. Matrix
    /// products by rank: (m,n)@(n): ∂L = g vᵀ, ∂R = g @ L; (m,n)@(n,p): ∂L = g @ Rᵀ, ∂R = Lᵀ @ g;
    /// (n)@(n,p): ∂L = R @ g, ∂R = L gᵀ; (n)@(n): ∂L = g·R, ∂R = g·L. A weight shared by the batch then sums over it
    /// (the caller's broadcast undo): for a layer <c>W @ v + b</c> that is ∂W = Σ_b g vᵀ and ∂b = Σ_b g.
    /// </summary>
    private Term? TransposedJacobianTimes(IrValue r, int operand, Term seed)
    {
        IrValue g = seed.Value;
        switch (graph[r])
        {
            case IrMatrixProduct product:
            {
                IrValue left = product.Left, right = product.Right;
                IrValue value = (graph.TypeOf(left).Shape.Rank, graph.TypeOf(right).Shape.Rank) switch
                {
                    (1, 1) => graph.Multiply(g, operand == 0 ? right : left),
                    (2, 1) => operand == 0 ? graph.Outer(g, right) : graph.MatMul(g, left),
                    (2, 2) => operand == 0 ? graph.MatMul(g, graph.Transpose(right)) : graph.MatMul(graph.Transpose(left), g),
                    _ => operand == 0 ? graph.MatMul(right, g) : graph.Outer(left, g),
                };
                return seed with { Value = value };
            }
            case IrCall { Function: IrFunction.Dot } dot:
                return seed with { Value = graph.Multiply(g, operand == 0 ? dot.Arguments[1] : dot.Arguments[0]) };
            case IrCall { Function: IrFunction.Sum } :
                return seed; // the caller broadcasts it to the argument's shape
            case IrCall { Function: IrFunction.Mean } mean:
            {
                int count = graph.TypeOf(mean.Arguments[0]).Shape.ElementCount;
                return count == 1 ? seed : seed with { Value = graph.Divide(g, graph.Literal(count)) };
            }
            case IrCall { Function: IrFunction.Norm } norm:
            {
                IrValue x = norm.Arguments[0];
                if (graph.TypeOf(x).Shape.IsScalar)
                    return seed with { Value = graph.Multiply(g, graph.Function(IrFunction.Sign, x)) };
                return seed with { Value = graph.Multiply(graph.Where(AtZero(r), graph.Literal(0.0), graph.Divide(g, r)), x) };
            }
            case IrConcatenation concatenation:
            {
                int offset = 0;
                for (int i = 0; i < operand; i++)
                    offset += graph.TypeOf(concatenation.Parts[i]).Shape.ElementCount;
                IrShape shape = graph.TypeOf(concatenation.Parts[operand]).Shape;
                return seed with { Value = shape.IsScalar ? graph.Index(g, offset) : graph.Slice(g, offset, offset + shape.ElementCount) };
            }
            case IrIndex index:
                return seed with { Value = graph.Pad(g, index.Index, graph.TypeOf(index.Target).Shape) };
            case IrSlice slice:
                return seed with { Value = graph.Pad(g, slice.Start, graph.TypeOf(slice.Target).Shape, slice.Axis) };
            case IrPad pad:
            {
                IrShape shape = graph.TypeOf(pad.Operand).Shape;
                return seed with { Value = shape.Rank < pad.Type.Shape.Rank ? graph.Index(g, pad.Start) : graph.Slice(g, pad.Start, pad.Start + shape.Dimensions[pad.Axis], pad.Axis) };
            }
            case IrBroadcast broadcast:
                return seed with { Value = graph.ReduceBroadcast(g, graph.TypeOf(broadcast.Operand)) };
            case IrReduceBroadcast reduce:
                return seed with { Value = graph.Broadcast(g, new IrType(graph.TypeOf(reduce.Operand).Shape, graph.TypeOf(reduce.Operand).Batched || graph.TypeOf(g).Batched)) };
            case IrTranspose:
                return seed with { Value = graph.Transpose(g) };
            case IrOuterProduct outer:
                return seed with { Value = operand == 0 ? graph.MatMul(g, outer.Right) : graph.MatMul(outer.Left, g) };
            default:
                throw new System.InvalidOperationException($"No reverse derivative rule for {graph[r].GetType().Name}.");
        }
    }

    /// <summary>
    /// The tangent of a concatenation is the concatenation of its parts' tangents (zeros where a part has none), each
    /// part broadcast to the layout of the whole: batched when any tangent is, directed when any is.
    /// </summary>
    private Term? ConcatenateTangents(IrConcatenation concatenation, IReadOnlyList<Term?> operands)
    {
        IrType[] types = operands.Where(operand => operand is not null).Select(operand => graph.TypeOf(operand!.Value.Value)).ToArray();
        if (types.Length == 0)
            return null;
        bool batched = types.Any(type => type.Batched), directed = types.Any(type => type.Directed);
        var parts = new IrValue[operands.Count];
        for (int i = 0; i < operands.Count; i++)
        {
            var type = new IrType(graph.TypeOf(concatenation.Parts[i]).Shape, batched, directed);
            parts[i] = operands[i] is Term tangent
                ? graph.Broadcast(tangent.Negative ? graph.Negate(tangent.Value) : tangent.Value, type)
                : graph.Broadcast(graph.Literal(0.0), type);
        }
        return new Term(graph.Add(new IrConcatenation(parts.ToEquatableArray(), new IrType(concatenation.Type.Shape, batched, directed))), false);
    }

    /// <summary>The type a broadcast of a tangent produces: the broadcast's shape, batched when either is, directed when the tangent is.</summary>
    private IrType TangentType(IrType type, IrValue tangent) => new(type.Shape, type.Batched || graph.TypeOf(tangent).Batched, graph.TypeOf(tangent).Directed);

    /// <summary>[r ≤ 0] for a norm r: the zero vector, where the derivative is taken as 0.</summary>
    private IrValue AtZero(IrValue norm) => graph.Compare(IrComparisonOperator.LessOrEqual, norm, graph.Literal(0.0));
}
