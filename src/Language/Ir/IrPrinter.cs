using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace OdeDsl.Language.Ir;

/// <summary>
/// Prints a model's IR as text, one node per line in SSA style (<c>%3 = mul %1, %2 : B[]</c>), for baselines,
/// the CLI's <c>--ir</c> and debugging. Only the file's name is printed, so baselines do not depend on the machine.
/// </summary>
public static class IrPrinter
{
    public static string Print(IrModel model) => Print(model, 0);

    /// <summary>
    /// The derivative IR: the forward model, the reverse nodes after a marker, the reverse blocks (the running sums
    /// each forward statement completes) and the results.
    /// </summary>
    public static string PrintAdjoint(Differentiation.IrAdjoint adjoint)
    {
        IrModel model = adjoint.Graph;
        var text = new StringBuilder(Print(model, adjoint.ForwardNodeCount));
        text.Append("  reverse:\n");
        foreach (Differentiation.AdjointBlock block in adjoint.Blocks)
        {
            Statement(text, "through", block.Origin);
            foreach (Differentiation.AdjointStatement statement in block.Statements)
                text.Append("    ").Append(TargetName(model, statement.Target)).Append(" = ").Append(statement.Value).Append('\n');
        }
        text.Append("  results:\n");
        foreach (Differentiation.AdjointStatement result in adjoint.Results)
            text.Append("    ").Append(TargetName(model, result.Target)).Append(" = ").Append(result.Value).Append('\n');
        return text.ToString();
    }

    private static string TargetName(IrModel model, Differentiation.AdjointTarget target) => "∂" + (target.Kind switch
    {
        Differentiation.AdjointTargetKind.State => model.States[target.Index].Name,
        Differentiation.AdjointTargetKind.Parameter => model.Parameters[target.Index].Name,
        Differentiation.AdjointTargetKind.Time => "t",
        Differentiation.AdjointTargetKind.Let => model.Lets[target.Index].Name,
        _ => new IrValue(target.Index).ToString(),
    });

    private static string Print(IrModel model, int reverseFrom)
    {
        var text = new StringBuilder();
        string kind = model.Kind == IrModelKind.Flow ? "flow" : "model";
        text.Append(kind).Append(' ').Append(Qualified(model)).Append("   (").Append(Path.GetFileName(model.SourcePath)).Append(")\n");

        foreach (IrState state in model.States)
            text.Append("  state ").Append(state.Name).Append(' ').Append(state.Shape).Append(" at column ").Append(state.Offset).Append('\n');
        foreach (IrLayer layer in model.Layers)
            text.Append("  layer ").Append(layer.Name).Append(" = linear(").Append(layer.InFeatures).Append(", ").Append(layer.OutFeatures).Append(")\n");
        foreach (IrParameter parameter in model.Parameters)
            text.Append("  param ").Append(parameter.Name).Append(' ').Append(parameter.Shape).Append(Initializer(parameter.Initializer)).Append('\n');
        foreach (IrConstant constant in model.Constants)
            text.Append("  const ").Append(constant.Name).Append(" = ").Append(Number(constant.DefaultValue)).Append('\n');

        for (int i = 0; i < model.Nodes.Count; i++)
        {
            IrNode node = model.Nodes[i];
            if (i == reverseFrom && reverseFrom > 0)
                text.Append("  -- reverse nodes --\n");
            text.Append("  ").Append(new IrValue(i)).Append(" = ").Append(Describe(model, node)).Append(" : ").Append(node.Type).Append('\n');
        }

        foreach (IrLet let in model.Lets)
            Statement(text, $"let {let.Name} = {let.Value}", let.Origin);
        foreach (IrEquation equation in model.Equations)
            Statement(text, $"d{model.States[equation.State].Name}/dt = {equation.Value}", equation.Origin);
        return text.ToString();
    }

    /// <summary>The node's operation and operands, e.g. <c>add %1, %2</c> or <c>param sigma</c>.</summary>
    public static string Describe(IrModel model, IrNode node) => node switch
    {
        IrLiteral literal => "literal " + Number(literal.Value),
        IrTime => "time",
        IrStateRead read => "state " + model.States[read.State].Name,
        IrParameterRead read => "param " + model.Parameters[read.Parameter].Name,
        IrConstantRead read => "const " + model.Constants[read.Constant].Name,
        IrUnary unary => unary.Operator.ToString().ToLowerInvariant() + " " + unary.Operand,
        IrBinary binary => binary.Operator.ToString().ToLowerInvariant() + " " + binary.Left + ", " + binary.Right,
        IrCall call => IrOperatorFacts.Name(call.Function) + " " + string.Join(", ", call.Arguments.Select(argument => argument.ToString())),
        IrMatrixProduct product => "matmul " + product.Left + ", " + product.Right,
        IrConcatenation concatenation => "concat " + string.Join(", ", concatenation.Parts.Select(part => part.ToString())),
        IrIndex index => "index " + index.Target + "[" + index.Index + "]",
        IrSlice slice => "slice " + slice.Target + "[" + slice.Start + ":" + slice.End + "]",
        IrCotangentRead read => "cotangent " + model.States[read.State].Name,
        IrReduceBroadcast reduce => "reduce_broadcast " + reduce.Operand,
        IrBroadcast broadcast => "broadcast " + broadcast.Operand,
        IrOuterProduct outer => "outer " + outer.Left + ", " + outer.Right,
        IrTranspose transpose => "transpose " + transpose.Operand,
        IrComparison comparison => "indicator " + comparison.Left + " " + IrComparisonFacts.Symbol(comparison.Operator) + " " + comparison.Right,
        IrPad pad => "pad " + pad.Operand + " at " + pad.Start,
        IrWhere where => "where " + where.Condition + ", " + where.WhenTrue + ", " + where.WhenFalse,
        _ => node.GetType().Name,
    };

    /// <summary><c> = 0.04</c> for a given value, <c> ~ normal(0, 0.1)</c> otherwise.</summary>
    public static string Initializer(IrInitializer initializer)
    {
        if (initializer.Kind == IrInitializerKind.Value)
            return " = " + Number(initializer.Arguments[0]);
        string name = initializer.Kind switch
        {
            IrInitializerKind.LinearWeight => "linear_weight",
            IrInitializerKind.LinearBias => "linear_bias",
            _ => initializer.Kind.ToString().ToLowerInvariant(),
        };
        return " ~ " + name + (initializer.Arguments.Count == 0 ? "" : "(" + string.Join(", ", initializer.Arguments.Select(Number)) + ")");
    }

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Qualified(IrModel model) => model.Namespace.Length == 0 ? model.Name : model.Namespace + "." + model.Name;

    private static void Statement(StringBuilder text, string statement, IrOrigin origin) =>
        text.Append("  ").Append(statement.PadRight(24)).Append(" ; line ").Append(origin.Line).Append(": ").Append(origin.Source).Append('\n');
}
