using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Passes;

/// <summary>
/// Evaluates arithmetic on literals at compile time (<c>8.0 / 3.0</c> becomes one literal).
/// </summary>
/// <remarks>
/// Only <c>+ - * /</c> and negation are folded: IEEE 754 rounds them exactly, so the folded double is the value
/// the tensor op would compute in float64. <c>^</c> and functions are left to the runtime, whose libm may round
/// differently from .NET's. Constants (<c>const</c>) are never folded: they are chosen when the model is constructed.
/// </remarks>
public static class ConstantFolding
{
    public static IrKernel Run(IrKernel kernel) =>
        IrGraph.Rebuild(kernel, shareEqualNodes: false, (node, graph) => graph.Add(Fold(node, graph) ?? node));

    private static IrNode? Fold(IrNode node, IrGraphBuilder graph) => node switch
    {
        IrUnary { Operator: IrUnaryOperator.Negate } unary when graph[unary.Operand] is IrLiteral operand =>
            new IrLiteral(-operand.Value),
        IrBinary binary when graph[binary.Left] is IrLiteral left && graph[binary.Right] is IrLiteral right =>
            binary.Operator switch
            {
                IrBinaryOperator.Add => new IrLiteral(left.Value + right.Value),
                IrBinaryOperator.Subtract => new IrLiteral(left.Value - right.Value),
                IrBinaryOperator.Multiply => new IrLiteral(left.Value * right.Value),
                IrBinaryOperator.Divide => new IrLiteral(left.Value / right.Value),
                _ => null,
            },
        _ => null,
    };
}
