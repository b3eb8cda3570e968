using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>Elementwise arithmetic and functions, with the fused forms the forward remarks list.</summary>
internal sealed partial class ModelEmission
{
    private string BinaryCode(IrBinary binary)
    {
        IrValue a = binary.Left, b = binary.Right;
        if (TryLinear(binary) is string linear)
            return linear;
        if (TryFusedMultiplyAdd(binary) is string fused)
            return fused;
        string method = binary.Operator switch
        {
            IrBinaryOperator.Add => "add",
            IrBinaryOperator.Subtract => "sub",
            IrBinaryOperator.Multiply => "mul",
            IrBinaryOperator.Divide => "div",
            _ => "pow",
        };
        int rank = binary.Type.Shape.Rank;
        if (!IsHost(a) && !IsHost(b))
            return $"{Broadcast(a, rank)}.{method}({Broadcast(b, rank)})";
        if (!IsHost(a))
        {
            if (binary.Operator == IrBinaryOperator.Power && kernel[b] is IrLiteral { Value: 2.0 })
                return Operand(a) + ".square()";
            return $"{Operand(a)}.{method}({ScalarFor(b)})";
        }
        // Scalar on the left.
        return binary.Operator switch
        {
            IrBinaryOperator.Add or IrBinaryOperator.Multiply => $"{Operand(b)}.{method}({ScalarFor(a)})",
            IrBinaryOperator.Subtract => $"{Operand(b)}.neg().add({ScalarFor(a)})",
            _ => $"{TorchSharpNames.Torch}.full_like({Operand(b)}, {ScalarFor(a)}).{method}({Operand(b)})",
        };
    }

    /// <summary><c>a + b·c</c>, <c>b·c + a</c>, <c>a − b·c</c> as one op, when the product is used nowhere else.</summary>
    private string? TryFusedMultiplyAdd(IrBinary binary)
    {
        if (binary.Operator is not (IrBinaryOperator.Add or IrBinaryOperator.Subtract))
            return null;
        bool subtract = binary.Operator == IrBinaryOperator.Subtract;
        (IrValue Addend, IrValue Product)? match =
            IsFusibleProduct(binary.Right) && !IsHost(binary.Left) ? (binary.Left, binary.Right)
            : !subtract && IsFusibleProduct(binary.Left) && !IsHost(binary.Right) ? (binary.Right, binary.Left)
            : null;
        if (match is not (IrValue addend, IrValue productValue))
            return null;
        var product = (IrBinary)kernel[productValue];
        IrValue b = product.Left, c = product.Right;
        int rank = binary.Type.Shape.Rank;
        if (!IsHost(b) && !IsHost(c))
            return $"{TorchSharpNames.Torch}.addcmul({Broadcast(addend, rank)}, {Broadcast(b, rank)}, {Broadcast(c, rank)}, {LiteralScalar(subtract ? -1.0 : 1.0)})";
        (IrValue scalar, IrValue tensor) = IsHost(b) ? (b, c) : (c, b);
        string alpha = subtract ? NegatedScalarFor(scalar) : ScalarFor(scalar);
        return $"{Broadcast(addend, rank)}.add({Broadcast(tensor, rank)}, {alpha})";
    }

    // An indicator factor (a bool tensor) stays in a plain mul: addcmul does not promote it.
    private bool IsFusibleProduct(IrValue value) =>
        kernel[value] is IrBinary { Operator: IrBinaryOperator.Multiply } product
        && IsInlined(value) && !(IsHost(product.Left) && IsHost(product.Right))
        && kernel[product.Left] is not IrComparison && kernel[product.Right] is not IrComparison;

    /// <summary>Used once and not named: its user may compute it as part of a fused operation.</summary>
    private bool IsInlined(IrValue value) => analysis.UseCounts[value.Index] == 1 && locals[value.Index] is null;

    private string CallCode(IrCall call)
    {
        if (call.Function is IrFunction.Min or IrFunction.Max)
        {
            IrValue a = call.Arguments[0], b = call.Arguments[1];
            string clamp = call.Function == IrFunction.Min ? "clamp_max" : "clamp_min";
            if (IsHost(a))
                return $"{Operand(b)}.{clamp}({ScalarFor(a)})";
            if (IsHost(b))
                return $"{Operand(a)}.{clamp}({ScalarFor(b)})";
            string function = call.Function == IrFunction.Min ? "minimum" : "maximum";
            int rank = call.Type.Shape.Rank;
            return $"{TorchSharpNames.Torch}.{function}({Broadcast(a, rank)}, {Broadcast(b, rank)})";
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
            IrFunction.Softplus => "softplus",
            IrFunction.Elu => "elu",
            IrFunction.Sign => "sign",
            _ => throw new System.ArgumentOutOfRangeException(nameof(call)),
        };
        return $"{Operand(call.Arguments[0])}.{method}()";
    }
}
