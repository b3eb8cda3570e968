using System;
using System.Runtime.CompilerServices;
using OdeDsl.Language.Ast;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// Evaluates expressions made only of numbers and arithmetic (<c>8.0 / 3.0</c>, <c>-1</c>, <c>2^10</c>):
/// what initial values, dimensions, layer sizes and indices must be. Names are never constant here,
/// because a const's value can change when the model is constructed.
/// </summary>
internal static class ConstantFolder
{
    public static double? Fold(Expression expression)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expression)
        {
            case NumberLiteral n:
                return n.Value;
            case NegateExpression neg:
                return -Fold(neg.Operand);
            case BinaryExpression b when b.Operator != BinaryOperator.MatrixMultiply:
                if (Fold(b.Left) is not double left || Fold(b.Right) is not double right)
                    return null;
                return b.Operator switch
                {
                    BinaryOperator.Add => left + right,
                    BinaryOperator.Subtract => left - right,
                    BinaryOperator.Multiply => left * right,
                    BinaryOperator.Divide => left / right,
                    _ => Math.Pow(left, right),
                };
            default:
                return null;
        }
    }

    /// <summary>The value as an int when it is a whole number in range; otherwise null.</summary>
    public static int? AsInteger(double value) =>
        value == Math.Floor(value) && value >= int.MinValue && value <= int.MaxValue ? (int)value : null;
}
