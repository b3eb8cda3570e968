using System.Text;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Renders a statement of the IR in math form for the generated <c>&lt;remarks&gt;</c>:
/// <c>dy/dt = x · (rho − z) − y</c>, with <c>·</c> for products, a true minus sign, and <c>²</c>/<c>³</c> for small
/// literal powers. Lets appear by name, so each line reads like the source after constant folding.
/// </summary>
internal sealed class MathFormatter
{
    private readonly IrModel model;
    private readonly IrKernel kernel;
    private readonly string?[] letNames;

    /// <summary>Formats nodes of <paramref name="kernel"/>; its let statements name their nodes.</summary>
    public MathFormatter(IrModel model, IrKernel kernel)
    {
        this.model = model;
        this.kernel = kernel;
        letNames = new string?[kernel.Nodes.Count];
        foreach (IrStatement statement in kernel.Statements)
        {
            if (statement.Role == IrRole.Let)
                letNames[statement.Value.Index] ??= model.NameOf(statement.Of);
        }
    }

    /// <summary>A forward statement: <c>h = tanh(W1 @ y)</c> or <c>dy/dt = W2 @ h</c>.</summary>
    public string Statement(IrStatement statement) => statement.Role == IrRole.Let
        ? model.NameOf(statement.Of) + " = " + Expression(statement.Value, 0, allowLetName: false)
        : "d" + model.NameOf(statement.Of) + "/dt = " + Expression(statement.Value, 0, allowLetName: true);

    /// <summary>Any node of the forward graph in math form (lets by name).</summary>
    public string Value(IrValue value) => Expression(value, 0, allowLetName: true);

    private string Expression(IrValue value, int outerPrecedence, bool allowLetName)
    {
        if (allowLetName && letNames[value.Index] is string name)
            return name;
        IrNode node = kernel[value];
        switch (node)
        {
            case IrLiteral literal:
                string number = IrPrinter.Number(literal.Value);
                return literal.Value < 0 || (literal.Value == 0 && 1 / literal.Value < 0) ? Parenthesise("−" + number.TrimStart('-'), outerPrecedence > 0) : number;
            case IrInput { Kind: IrInputKind.Time }:
                return "t";
            case IrInput { Kind: IrInputKind.State } read:
                return model.States[read.State].Name;
            case IrParameterRead read:
                return model.Parameters[read.Parameter].Name;
            case IrConstantRead read:
                return model.Constants[read.Constant].Name;
            case IrUnary unary:
                return Parenthesise("−" + Expression(unary.Operand, IrOperatorFacts.NegatePrecedence, true), outerPrecedence > IrOperatorFacts.NegatePrecedence);
            case IrBinary { Operator: IrBinaryOperator.Power } power when kernel[power.Right] is IrLiteral { Value: 2.0 or 3.0 } exponent:
                return Expression(power.Left, IrOperatorFacts.Precedence(IrBinaryOperator.Power) + 1, true) + (exponent.Value == 2.0 ? "²" : "³");
            case IrBinary binary:
                int precedence = IrOperatorFacts.Precedence(binary.Operator);
                // Left-associative except ^: the side that would re-associate gets the stricter precedence.
                bool rightAssociative = binary.Operator == IrBinaryOperator.Power;
                string left = Expression(binary.Left, rightAssociative ? precedence + 1 : precedence, true);
                string right = Expression(binary.Right, rightAssociative ? precedence : precedence + 1, true);
                return Parenthesise(left + " " + Symbol(binary.Operator) + " " + right, outerPrecedence > precedence);
            case IrCall call:
                return IrOperatorFacts.Name(call.Function) + "(" + List(call.Arguments, ", ") + ")";
            case IrMatrixProduct product:
                int matrixPrecedence = IrOperatorFacts.MatrixProductPrecedence;
                return Parenthesise(Expression(product.Left, matrixPrecedence, true) + " @ " + Expression(product.Right, matrixPrecedence + 1, true), outerPrecedence > matrixPrecedence);
            case IrConcatenation concatenation:
                return "[" + List(concatenation.Parts, "; ") + "]";
            case IrIndex index:
                return Expression(index.Target, Postfix, true) + "[" + index.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            case IrSlice slice:
                return Expression(slice.Target, Postfix, true) + "[" + (slice.Axis == 1 ? ":, " : "") + slice.Start.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + slice.End.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            // The operations derivatives add: a transpose, a broadcast (the value itself), a sum over a broadcast.
            case IrTranspose transpose:
                return Expression(transpose.Operand, Postfix, true) + "ᵀ";
            case IrBroadcast broadcast:
                return Expression(broadcast.Operand, outerPrecedence, true);
            case IrReduceBroadcast reduce:
                return "Σ(" + Expression(reduce.Operand, 0, true) + ")";
            default:
                return "?";
        }
    }

    // Indexing binds tighter than every operator.
    private const int Postfix = 5;

    private string List(EquatableArray<IrValue> values, string separator)
    {
        var text = new StringBuilder();
        for (int i = 0; i < values.Count; i++)
            text.Append(i == 0 ? "" : separator).Append(Expression(values[i], 0, true));
        return text.ToString();
    }

    private static string Symbol(IrBinaryOperator op) => op switch
    {
        IrBinaryOperator.Multiply => "·",
        IrBinaryOperator.Subtract => "−",
        _ => IrOperatorFacts.Symbol(op),
    };

    private static string Parenthesise(string text, bool needed) => needed ? "(" + text + ")" : text;
}
