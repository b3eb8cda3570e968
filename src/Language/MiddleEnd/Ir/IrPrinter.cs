using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace OdeDsl.Language.Ir;

/// <summary>
/// Prints a model's IR as text: its declarations, then each kernel with one node per line in SSA style
/// (<c>%3 = mul %1, %2 : B[]</c>), its statements and its outputs. For baselines, the CLI's <c>--ir</c> and
/// <c>--kernel</c>, and debugging. Only the file's name is printed, so baselines do not depend on the machine.
/// </summary>
public static class IrPrinter
{
    /// <summary>The declarations and every kernel.</summary>
    public static string Print(IrModel model)
    {
        var text = new StringBuilder(Declarations(model));
        foreach (IrKernel kernel in model.Kernels)
            Kernel(text, model, kernel);
        return text.ToString();
    }

    /// <summary>The declarations and one kernel (none when the model lacks it).</summary>
    public static string Print(IrModel model, IrKernelKind kind)
    {
        var text = new StringBuilder(Declarations(model));
        if (model.Kernel(kind) is IrKernel kernel)
            Kernel(text, model, kernel);
        return text.ToString();
    }

    /// <summary>The kernel's name as <c>odec --kernel</c> takes it: <c>forward</c>, <c>vjp</c>.</summary>
    public static string KernelName(IrKernelKind kind) => kind switch
    {
        IrKernelKind.FlowDynamics => "flow-dynamics",
        IrKernelKind.FlowVjp => "flow-vjp",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Declarations(IrModel model)
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
        return text.ToString();
    }

    private static void Kernel(StringBuilder text, IrModel model, IrKernel kernel)
    {
        text.Append("kernel ").Append(KernelName(kernel.Kind)).Append('\n');
        for (int i = 0; i < kernel.Nodes.Count; i++)
            text.Append("  ").Append(new IrValue(i)).Append(" = ").Append(Describe(model, kernel.Nodes[i])).Append(" : ").Append(kernel.Nodes[i].Type).Append('\n');
        IrOrigin? block = null;
        foreach (IrStatement statement in kernel.Statements)
        {
            string assignment = Target(model, kernel.Kind, statement.Role, statement.Of) + " = " + statement.Value;
            if (statement.Role != IrRole.Adjoint)
            {
                Statement(text, assignment, statement.Origin);
                continue;
            }
            // Running sums are grouped under the source statement they pass through.
            if (statement.Origin != block)
                Statement(text, "through", statement.Origin);
            block = statement.Origin;
            text.Append("    ").Append(assignment).Append('\n');
        }
        text.Append("  outputs:\n");
        foreach (IrOutput output in kernel.Outputs)
            text.Append("    ").Append(Target(model, kernel.Kind, output.Role, output.Of)).Append(" = ").Append(output.Value).Append('\n');
    }

    /// <summary>
    /// <c>let h</c>, <c>dx/dt</c>, <c>∂x</c> (an adjoint), <c>∂h·v</c> and <c>∂(dx/dt)·v</c> (tangents), or
    /// <c>∂h/∂y</c> and <c>∂(dx/dt)/∂y</c> along every direction (a Jacobian kernel's tangents).
    /// </summary>
    private static string Target(IrModel model, IrKernelKind kernel, IrRole role, IrSymbol of)
    {
        string along = kernel == IrKernelKind.Jacobian ? "/∂y" : "·v";
        return role switch
        {
            IrRole.Let => "let " + model.NameOf(of),
            IrRole.Derivative => "d" + model.NameOf(of) + "/dt",
            IrRole.Tangent when of.Kind == IrSymbolKind.State => "∂(d" + model.NameOf(of) + "/dt)" + along,
            IrRole.Tangent => "∂" + model.NameOf(of) + along,
            IrRole.Divergence => "tr(∂(d" + model.NameOf(of) + "/dt)/∂" + model.NameOf(of) + ")",
            _ => "∂" + model.NameOf(of),
        };
    }

    /// <summary>The node's operation and operands, e.g. <c>add %1, %2</c> or <c>param sigma</c>.</summary>
    public static string Describe(IrModel model, IrNode node) => node switch
    {
        IrLiteral literal => "literal " + Number(literal.Value),
        IrInput { Kind: IrInputKind.Time } => "time",
        IrInput { Kind: IrInputKind.State } read => "state " + model.States[read.State].Name,
        IrInput { Kind: IrInputKind.Cotangent } read => "cotangent " + model.States[read.State].Name,
        IrInput { Kind: IrInputKind.Tangent } read => "tangent " + model.States[read.State].Name,
        IrInput { Kind: IrInputKind.Basis } read => "basis " + model.States[read.State].Name,
        IrInput { Kind: IrInputKind.TraceCotangent } => "cotangent of the divergence",
        IrParameterRead read => "param " + model.Parameters[read.Parameter].Name,
        IrConstantRead read => "const " + model.Constants[read.Constant].Name,
        IrUnary unary => unary.Operator.ToString().ToLowerInvariant() + " " + unary.Operand,
        IrBinary binary => binary.Operator.ToString().ToLowerInvariant() + " " + binary.Left + ", " + binary.Right,
        IrCall call => IrOperatorFacts.Name(call.Function) + " " + string.Join(", ", call.Arguments.Select(argument => argument.ToString())),
        IrMatrixProduct product => "matmul " + product.Left + ", " + product.Right,
        IrConcatenation concatenation => "concat " + string.Join(", ", concatenation.Parts.Select(part => part.ToString())),
        IrIndex index => "index " + index.Target + "[" + index.Index + "]",
        IrSlice slice => "slice " + slice.Target + "[" + (slice.Axis == 1 ? ":, " : "") + slice.Start + ":" + slice.End + "]",
        IrReduceBroadcast reduce => "reduce_broadcast " + reduce.Operand,
        IrBroadcast broadcast => "broadcast " + broadcast.Operand,
        IrOuterProduct outer => "outer " + outer.Left + ", " + outer.Right,
        IrTranspose transpose => "transpose " + transpose.Operand,
        IrComparison comparison => "indicator " + comparison.Left + " " + IrComparisonFacts.Symbol(comparison.Operator) + " " + comparison.Right,
        IrPad pad => "pad " + pad.Operand + " at " + (pad.Axis == 1 ? "[:, " + pad.Start + "]" : pad.Start.ToString(CultureInfo.InvariantCulture)),
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
