using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Prints one node as the TorchSharp expression computing it for the whole batch. Pure: the node (fused or not)
/// fixes the op, <see cref="IOperandCode"/> spells the operands, and nothing here chooses locals or fusions.
/// </summary>
/// <remarks>
/// Layout of values: a batched value of per-sample shape S is a tensor <c>[B, S…]</c>; an unbatched one (a
/// parameter, or computed from parameters only) is <c>[S…]</c>; a host value (literals, constants) is a cached
/// Scalar. So reductions run over the feature axes and indexing selects along axis 1 of a batch. <c>s − x</c>,
/// <c>s / x</c>, <c>s ^ x</c> with a Scalar on the left have no single TorchSharp op: they take two, chosen to round
/// exactly like the written expression (never a reciprocal-multiply).
/// </remarks>
internal sealed class TorchSharpPrinter
{
    private readonly IrModel model;
    private readonly IrKernel kernel;
    private readonly GraphFacts facts;
    private readonly IOperandCode code;

    public TorchSharpPrinter(IrModel model, IrKernel kernel, GraphFacts facts, IOperandCode code)
    {
        this.model = model;
        this.kernel = kernel;
        this.facts = facts;
        this.code = code;
    }

    /// <summary>The batch size B, read from the packed state.</summary>
    public string Batch => code.Packed + ".size(0)";

    /// <summary><c>B, n…</c>: the arguments of <c>expand</c> for a batched value of the given per-sample shape.</summary>
    public string BatchedShape(IrShape shape) =>
        shape.IsScalar ? $"new long[] {{ {Batch} }}" : $"new long[] {{ {Batch}, {string.Join(", ", shape.Dimensions.Select(CSharpLiterals.Int))} }}";

    /// <summary>The full layout of a value of <paramref name="type"/>: <c>[B?, D?, S…]</c>, as <c>expand</c> or <c>full</c> take it.</summary>
    public string Layout(IrType type)
    {
        var sizes = new System.Collections.Generic.List<string>();
        if (type.Batched)
            sizes.Add(Batch);
        if (type.Directed)
            sizes.Add(CSharpLiterals.Int(model.StateSize));
        sizes.AddRange(type.Shape.Dimensions.Select(CSharpLiterals.Int));
        return "new long[] { " + string.Join(", ", sizes) + " }";
    }

    /// <summary>How many axes come before a value's own: the batch and the directions.</summary>
    private static int Lead(IrType type) => (type.Batched ? 1 : 0) + (type.Directed ? 1 : 0);

    /// <summary>A value's own axes, after the batch and the directions, as the argument of a reduction.</summary>
    private static string SampleAxes(IrType type) =>
        "new long[] { " + string.Join(", ", Enumerable.Range(Lead(type), type.Shape.Rank).Select(CSharpLiterals.Int)) + " }";

    /// <summary>A host value as a [B] tensor in the state's dtype and device.</summary>
    public string Filled(IrValue host, string shape) =>
        $"{TorchSharpNames.Torch}.full({shape}, {code.Scalar(host)}, dtype: {code.Packed}.dtype, device: {code.Packed}.device)";

    public string Print(IrValue value)
    {
        IrNode node = kernel[value];
        return node switch
        {
            IrParameterRead read => code.Parameter(read.Parameter),
            IrUnary unary => Operand(unary.Operand) + ".neg()",
            IrBinary binary => Binary(binary),
            IrCall call when IrOperatorFacts.IsReduction(call.Function) => Reduction(call),
            IrCall call => Call(call),
            IrMatrixProduct product => MatrixProduct(product.Left, product.Right, product.Type),
            IrConcatenation concatenation => Concatenation(concatenation),
            IrIndex index => $"{Operand(index.Target)}.select({FeatureAxis(index.Target)}, {CSharpLiterals.Int(index.Index)})",
            IrSlice slice => $"{Operand(slice.Target)}.narrow({CSharpLiterals.Int(Lead(kernel[slice.Target].Type) + slice.Axis)}, {CSharpLiterals.Int(slice.Start)}, {CSharpLiterals.Int(slice.End - slice.Start)})",
            IrReduceBroadcast reduce => ReduceBroadcast(reduce),
            IrBroadcast broadcast => Broadcast(broadcast),
            IrOuterProduct outer => Outer(outer),
            IrTranspose transpose => Operand(transpose.Operand) + (Lead(transpose.Type) == 0 ? ".t()" : $".transpose({Lead(transpose.Type)}, {Lead(transpose.Type) + 1})"),
            IrComparison comparison => Comparison(comparison),
            IrPad pad => Pad(pad),
            IrWhere where => Where(where),
            FusedLinear linear => $"{TorchSharpNames.Functional}.linear({Operand(linear.Input)}, {Operand(linear.Weight)}{(linear.Bias is IrValue bias ? ", " + Operand(bias) : "")})",
            FusedMultiplyAdd fused => $"{TorchSharpNames.Torch}.addcmul({code.Broadcast(fused.Addend, fused.Type)}, {code.Broadcast(fused.Left, fused.Type)}, {code.Broadcast(fused.Right, fused.Type)}, {code.LiteralScalar(fused.Subtract ? -1.0 : 1.0)})",
            FusedScaledAdd fused => $"{code.Broadcast(fused.Addend, fused.Type)}.add({code.Broadcast(fused.Tensor, fused.Type)}, {code.Scalar(fused.Scale, negated: fused.Subtract)})",
            FusedSquare square => Operand(square.Operand) + ".square()",
            FusedBatchOuterSum outer => $"{Operand(outer.Left)}.t().mm({Operand(outer.Right)})",
            FusedBatchDot dot => $"{Operand(dot.Left)}.dot({Operand(dot.Right)})",
            PackedStateColumns columns => columns.Width == model.StateSize
                ? code.Packed
                : $"{code.Packed}.narrow(1, {CSharpLiterals.Int(columns.Offset)}, {CSharpLiterals.Int(columns.Width)})",
            _ => throw new System.InvalidOperationException($"No TorchSharp operation for {node.GetType().Name}."),
        };
    }

    private string Operand(IrValue value) => code.Operand(value);

    private bool IsHost(IrValue value) => facts.IsHost[value.Index];

    /// <summary>The first per-sample axis of a value: after the batch and the directions it carries.</summary>
    private string FeatureAxis(IrValue value) => CSharpLiterals.Int(Lead(kernel[value].Type));

    private string Binary(IrBinary binary)
    {
        IrValue a = binary.Left, b = binary.Right;
        string method = binary.Operator switch
        {
            IrBinaryOperator.Add => "add",
            IrBinaryOperator.Subtract => "sub",
            IrBinaryOperator.Multiply => "mul",
            IrBinaryOperator.Divide => "div",
            _ => "pow",
        };
        // TorchSharp's add without alpha passes libtorch a temporary Scalar 1 that nothing keeps alive during the
        // native call (the GC may free it mid-call: a garbage alpha); the cached 1 is always reachable.
        string alpha = binary.Operator == IrBinaryOperator.Add ? $", {code.LiteralScalar(1.0)}" : "";
        if (!IsHost(a) && !IsHost(b))
            return $"{code.Broadcast(a, binary.Type)}.{method}({code.Broadcast(b, binary.Type)}{alpha})";
        if (!IsHost(a))
            return $"{Operand(a)}.{method}({code.Scalar(b)}{alpha})";
        // Scalar on the left.
        return binary.Operator switch
        {
            IrBinaryOperator.Add => $"{Operand(b)}.add({code.Scalar(a)}{alpha})",
            IrBinaryOperator.Multiply => $"{Operand(b)}.mul({code.Scalar(a)})",
            IrBinaryOperator.Subtract => $"{Operand(b)}.neg().add({code.Scalar(a)}, {code.LiteralScalar(1.0)})",
            _ => $"{TorchSharpNames.Torch}.full_like({Operand(b)}, {code.Scalar(a)}).{method}({Operand(b)})",
        };
    }

    private string Call(IrCall call)
    {
        if (call.Function is IrFunction.Min or IrFunction.Max)
        {
            IrValue a = call.Arguments[0], b = call.Arguments[1];
            string clamp = call.Function == IrFunction.Min ? "clamp_max" : "clamp_min";
            if (IsHost(a))
                return $"{Operand(b)}.{clamp}({code.Scalar(a)})";
            if (IsHost(b))
                return $"{Operand(a)}.{clamp}({code.Scalar(b)})";
            string function = call.Function == IrFunction.Min ? "minimum" : "maximum";
            return $"{TorchSharpNames.Torch}.{function}({code.Broadcast(a, call.Type)}, {code.Broadcast(b, call.Type)})";
        }
        if (call.Function == IrFunction.Elu)
        {
            // Tensor.elu(double) makes temporary native Scalars that nothing keeps alive during the native call (the
            // GC may finalise them mid-call: garbage alpha); the cached Scalars are always reachable.
            string one = code.LiteralScalar(1.0);
            return $"{Operand(call.Arguments[0])}.elu({one}, {one}, {one})";
        }
        if (call.Function == IrFunction.Softplus)
        {
            // softplus(x) = −log σ(−x): stable, and without Tensor.softplus(double, double)'s temporary Scalars.
            return $"{Operand(call.Arguments[0])}.neg().log_sigmoid().neg()";
        }
        string method = call.Function switch
        {
            IrFunction.Exp => "exp",
            IrFunction.Log => "log",
            IrFunction.Sqrt => "sqrt",
            IrFunction.Abs => "abs",
            IrFunction.Sin => "sin",
            IrFunction.Cos => "cos",
            IrFunction.Tan => "tan",
            IrFunction.Tanh => "tanh",
            IrFunction.Sigmoid => "sigmoid",
            IrFunction.Relu => "relu",
            IrFunction.Sign => "sign",
            // Each a method of Tensor without arguments: no temporary Scalars. gelu() is the exact erf form.
            IrFunction.Sinh => "sinh",
            IrFunction.Cosh => "cosh",
            IrFunction.Asinh => "asinh",
            IrFunction.Atanh => "atanh",
            IrFunction.Atan => "atan",
            IrFunction.Exp2 => "exp2",
            IrFunction.Log1p => "log1p",
            IrFunction.Expm1 => "expm1",
            IrFunction.Erf => "erf",
            IrFunction.Gelu => "gelu",
            IrFunction.Silu => "silu",
            _ => throw new System.ArgumentOutOfRangeException(nameof(call)),
        };
        return $"{Operand(call.Arguments[0])}.{method}()";
    }

    /// <summary><c>a @ b</c> for every combination of ranks (1, 2), batching and directions.</summary>
    private string MatrixProduct(IrValue left, IrValue right, IrType result)
    {
        IrType a = kernel[left].Type, b = kernel[right].Type;
        bool leadA = Lead(a) > 0, leadB = Lead(b) > 0;
        if (result.Directed)
        {
            // The same products with the operands aligned on [B, D, …] and the axes counted from the end.
            string dl = code.Broadcast(left, result), dr = code.Broadcast(right, result);
            return (a.Shape.Rank, b.Shape.Rank) switch
            {
                (1, 1) => Dot(left, right, result),
                (2, 1) when !leadA => $"{TorchSharpNames.Functional}.linear({dr}, {dl})",
                (2, 1) when leadB => $"{dl}.matmul({dr}.unsqueeze(-1)).squeeze(-1)",
                (1, 2) when leadA && leadB => $"{dl}.unsqueeze(-2).matmul({dr}).squeeze(-2)",
                _ => $"{dl}.matmul({dr})",
            };
        }
        string l = Operand(left), r = Operand(right);
        return (a.Shape.Rank, b.Shape.Rank) switch
        {
            (1, 1) => Dot(left, right, result),
            // [B, n] · Wᵀ: the samples' rows against the weight matrix, one matrix product for the batch.
            (2, 1) when !a.Batched && b.Batched => $"{TorchSharpNames.Functional}.linear({r}, {l})",
            (2, 1) when a.Batched && b.Batched => $"{l}.matmul({r}.unsqueeze(2)).squeeze(2)",
            (1, 2) when a.Batched && b.Batched => $"{l}.unsqueeze(1).matmul({r}).squeeze(1)",
            // [B, m, n] @ [n], [B, n] @ [n, p], [n] @ [B, n, p] and every matrix·matrix broadcast as they are.
            _ => $"{l}.matmul({r})",
        };
    }

    /// <summary>The inner product per sample (and direction): <c>vecdot</c> of two batches, a matrix·vector product with one.</summary>
    private string Dot(IrValue left, IrValue right, IrType result)
    {
        bool a = Lead(kernel[left].Type) > 0, b = Lead(kernel[right].Type) > 0;
        if (a && b)
            return $"{TorchSharpNames.Linalg}.vecdot({code.Broadcast(left, result)}, {code.Broadcast(right, result)})";
        if (a)
            return $"{Operand(left)}.matmul({Operand(right)})";
        if (b)
            return $"{Operand(right)}.matmul({Operand(left)})";
        return $"{Operand(left)}.dot({Operand(right)})";
    }

    /// <summary><c>sum mean norm dot</c> over a sample's elements: axes 1 (and 2) of a batch, everything otherwise.</summary>
    private string Reduction(IrCall call)
    {
        if (call.Function == IrFunction.Dot)
            return Dot(call.Arguments[0], call.Arguments[1], call.Type);
        IrValue argument = call.Arguments[0];
        IrType type = kernel[argument].Type;
        string x = Operand(argument);
        if (type.Shape.IsScalar)
            return call.Function == IrFunction.Norm ? x + ".abs()" : x;
        int lead = Lead(type);
        if (lead == 0)
            return x + "." + (call.Function == IrFunction.Norm ? "norm" : call.Function == IrFunction.Sum ? "sum" : "mean") + "()";
        string axes = SampleAxes(type);
        return call.Function switch
        {
            IrFunction.Sum => $"{x}.sum({axes})",
            IrFunction.Mean => $"{x}.mean({axes})",
            _ => type.Shape.Rank == 1 ? $"{x}.norm(dim: {CSharpLiterals.Int(lead)})" : $"{x}.flatten({CSharpLiterals.Int(lead)}).norm(dim: {CSharpLiterals.Int(lead)})",
        };
    }

    /// <summary><c>[a; b; …]</c>: one cat (or stack) on the feature axis; parts are made [B, k] (or [k]) first.</summary>
    private string Concatenation(IrConcatenation concatenation)
    {
        IrType type = concatenation.Type;
        string axis = CSharpLiterals.Int(Lead(type));
        bool allScalars = concatenation.Parts.All(part => kernel[part].Type.Shape.IsScalar && !IsHost(part)
            && kernel[part].Type.Batched == type.Batched && kernel[part].Type.Directed == type.Directed);
        if (allScalars)
            return $"{TorchSharpNames.Torch}.stack(new[] {{ {string.Join(", ", concatenation.Parts.Select(Operand))} }}, {axis})";
        string parts = string.Join(", ", concatenation.Parts.Select(part => type.Directed ? DirectedPart(part, type) : type.Batched ? BatchedPart(part) : UnbatchedPart(part)));
        return $"{TorchSharpNames.Torch}.cat(new[] {{ {parts} }}, {axis})";
    }

    /// <summary>A part of a directed concatenation as [B?, D, k]: the derivative's forward pass makes every part directed already.</summary>
    private string DirectedPart(IrValue part, IrType whole)
    {
        IrType type = kernel[part].Type;
        if (type.Batched != whole.Batched || !type.Directed)
            throw new System.InvalidOperationException($"A directed concatenation's part {part} is {type}, not laid out like {whole}.");
        return type.Shape.IsScalar ? Operand(part) + ".unsqueeze(-1)" : Operand(part);
    }

    /// <summary>A part of a batched concatenation as [B, k].</summary>
    private string BatchedPart(IrValue part)
    {
        IrType type = kernel[part].Type;
        if (IsHost(part))
            return Filled(part, $"new long[] {{ {Batch}, 1 }}");
        if (type.Batched)
            return code.Broadcast(part, type with { Shape = IrShape.Vector(1) });
        return $"{Operand(part)}.expand({Batch}, {CSharpLiterals.Int(type.Shape.ElementCount)})";
    }

    /// <summary>A part of an unbatched concatenation as [k].</summary>
    private string UnbatchedPart(IrValue part)
    {
        if (IsHost(part))
            return Filled(part, "new long[] { 1 }");
        return kernel[part].Type.Shape.IsScalar ? Operand(part) + ".unsqueeze(0)" : Operand(part);
    }

    /// <summary>
    /// The sum over the axes a broadcast added: the batch (<c>sum(new long[] { 0 })</c>, or <c>sum()</c> down to a
    /// scalar) or a sample's elements.
    /// </summary>
    private string ReduceBroadcast(IrReduceBroadcast reduce)
    {
        IrValue x = reduce.Operand;
        IrType from = kernel[x].Type, to = reduce.Type;
        if (from.Directed)
        {
            // The batch axis when it goes, the sample's own axes when a scalar remains; the directions stay.
            var axes = new System.Collections.Generic.List<int>();
            if (from.Batched && !to.Batched)
                axes.Add(0);
            if (to.Shape.IsScalar && !from.Shape.IsScalar)
                axes.AddRange(Enumerable.Range(Lead(from), from.Shape.Rank));
            return $"{Operand(x)}.sum(new long[] {{ {string.Join(", ", axes.Select(CSharpLiterals.Int))} }})";
        }
        if (from.Batched && !to.Batched)
            // Not sum(0): a literal 0 converts to TorchSharp's ScalarType and would pick sum(dtype).
            return Operand(x) + (to.Shape == from.Shape ? ".sum(new long[] { 0 })" : ".sum()");
        if (from.Batched)
            return Operand(x) + (from.Shape.Rank == 1 ? ".sum(new long[] { 1 })" : ".sum(new long[] { 1, 2 })");
        return Operand(x) + ".sum()";
    }

    /// <summary>A scalar repeated over a shape: an <c>expand</c> view (of a [B] column for a batched scalar), or a filled tensor for a host value.</summary>
    private string Broadcast(IrBroadcast broadcast)
    {
        IrValue x = broadcast.Operand;
        IrType type = broadcast.Type;
        if (IsHost(x))
            return Filled(x, Layout(type));
        if (type.Directed || kernel[x].Type.Directed)
            return $"{code.Broadcast(x, type)}.expand({Layout(type)})";
        if (!kernel[x].Type.Batched)
            return type.Batched ? $"{Operand(x)}.expand({BatchedShape(type.Shape)})" : $"{Operand(x)}.expand({UnbatchedShape(type.Shape)})";
        string column = code.Broadcast(x, type);
        return $"{column}.expand({BatchedShape(type.Shape)})";
    }

    private static string UnbatchedShape(IrShape shape) => "new long[] { " + string.Join(", ", shape.Dimensions.Select(CSharpLiterals.Int)) + " }";

    /// <summary>u vᵀ: <c>torch.outer</c> of two unbatched vectors, a broadcast product [·, m, 1]·[·, 1, n] otherwise.</summary>
    private string Outer(IrOuterProduct outer)
    {
        if (outer.Type.Directed)
            throw new System.InvalidOperationException("An outer product of directed values has no TorchSharp form here yet.");
        if (!kernel[outer.Left].Type.Batched && !kernel[outer.Right].Type.Batched)
            return $"{TorchSharpNames.Torch}.outer({Operand(outer.Left)}, {Operand(outer.Right)})";
        return $"{Operand(outer.Left)}.unsqueeze(-1).mul({Operand(outer.Right)}.unsqueeze(-2))";
    }

    /// <summary>An indicator as a bool tensor (<c>x.gt(0)</c>); multiplying a float by it promotes it to 0 and 1.</summary>
    private string Comparison(IrComparison comparison)
    {
        IrValue a = comparison.Left, b = comparison.Right;
        IrComparisonOperator op = comparison.Operator;
        if (IsHost(a))
        {
            // s < x is x > s: the Scalar goes on the right.
            (a, b) = (b, a);
            op = op switch
            {
                IrComparisonOperator.Greater => IrComparisonOperator.Less,
                IrComparisonOperator.GreaterOrEqual => IrComparisonOperator.LessOrEqual,
                IrComparisonOperator.Less => IrComparisonOperator.Greater,
                _ => IrComparisonOperator.GreaterOrEqual,
            };
        }
        string method = op switch
        {
            IrComparisonOperator.Greater => "gt",
            IrComparisonOperator.GreaterOrEqual => "ge",
            IrComparisonOperator.Less => "lt",
            _ => "le",
        };
        return IsHost(b) ? $"{Operand(a)}.{method}({code.Scalar(b)})" : $"{code.Broadcast(a, comparison.Type)}.{method}({code.Broadcast(b, comparison.Type)})";
    }

    /// <summary>Zeros around the operand along its per-sample axis: one <c>functional.pad</c> (after an <c>unsqueeze</c> for an index).</summary>
    private string Pad(IrPad pad)
    {
        IrType target = pad.Type, operand = kernel[pad.Operand].Type;
        string x = Operand(pad.Operand);
        int width = 1;
        if (operand.Shape.Rank < target.Shape.Rank)
            x += $".unsqueeze({CSharpLiterals.Int(Lead(target))})";
        else
            width = operand.Shape.Dimensions[pad.Axis];
        int before = pad.Start, after = target.Shape.Dimensions[pad.Axis] - pad.Start - width;
        // functional.pad lists (before, after) pairs from the last axis backwards, down to the padded one.
        var pairs = new System.Collections.Generic.List<string>();
        for (int axis = target.Shape.Rank - 1; axis >= pad.Axis; axis--)
            pairs.Add(axis == pad.Axis ? $"{CSharpLiterals.Int(before)}, {CSharpLiterals.Int(after)}" : "0, 0");
        return $"{TorchSharpNames.Functional}.pad({x}, new long[] {{ {string.Join(", ", pairs)} }})";
    }

    /// <summary><c>torch.where(c, a, b)</c>, or <c>b.masked_fill(c, s)</c> when the value where c holds is a Scalar.</summary>
    private string Where(IrWhere where)
    {
        IrType type = where.Type;
        if (IsHost(where.WhenTrue))
            return $"{code.Broadcast(where.WhenFalse, type)}.masked_fill({code.Broadcast(where.Condition, type)}, {code.Scalar(where.WhenTrue)})";
        return $"{TorchSharpNames.Torch}.where({code.Broadcast(where.Condition, type)}, {code.Broadcast(where.WhenTrue, type)}, {code.Broadcast(where.WhenFalse, type)})";
    }
}
