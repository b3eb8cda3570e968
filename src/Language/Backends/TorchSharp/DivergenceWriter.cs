using System.Linq;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Divergence(t, y): the exact trace tr(∂f/∂y), in <c>{Namespace}.{Model}.Divergence.g.cs</c>. From the model's
/// closed-form Divergence kernel when the compiler's cost model chose one (a chain of layers: about one extra layer
/// per sample), otherwise the trace of the generated Jacobian (forward mode along every direction). A flow also gets
/// DynamicsAndDivergence(t, z): f and its divergence in one pass (its FlowDynamics kernel), for its (z, log p) dynamics.
/// </summary>
internal static class DivergenceWriter
{
    /// <summary>The Divergence method, indented for its place in the class.</summary>
    public static string Write(IrModel model, IrKernel? divergence, ModelMembers members, ScalarCache scalars)
    {
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        if (divergence is null)
        {
            writer.Line("/// <summary>The divergence tr(∂f/∂y) at (t, y), [B]: the exact trace of <see cref=\"Jacobian\"/> (no closed form is cheaper for this model's structure).</summary>");
            writer.Line("/// <param name=\"t\">The time: a scalar tensor, or one time per sample ([B]).</param>");
            writer.Line("/// <param name=\"y\">The packed states, [B, " + CSharpLiterals.Int(model.StateSize) + "].</param>");
            using (writer.OpenBlock($"public {TorchSharpNames.Tensor} Divergence({TorchSharpNames.Tensor} t, {TorchSharpNames.Tensor} y)"))
            {
                writer.Line("using var jacobian = Jacobian(t, y);");
                writer.Line("return jacobian.diagonal(0, 1, 2).sum(new long[] { 1 });");
            }
            return writer.ToString();
        }

        var kernel = new KernelWriter(model, divergence, members, scalars);
        string plan = ClosedFormTrace.PlanFor(model)!.Description;
        writer.Line($"/// <summary>The divergence tr(∂f/∂y) at (t, y), [B], exact: {CommentText.Xml(plan)}.</summary>");
        writer.Line($"/// <param name=\"{kernel.Time}\">The time: a scalar tensor, or one time per sample ([B]).</param>");
        writer.Line($"/// <param name=\"{kernel.Packed}\">The packed states ({kernel.StateLayout()}), [B, {CSharpLiterals.Int(model.StateSize)}].</param>");
        using (writer.OpenBlock($"public {TorchSharpNames.Tensor} Divergence({TorchSharpNames.Tensor} {kernel.Time}, {TorchSharpNames.Tensor} {kernel.Packed})"))
        {
            (_, string trace) = WriteBody(writer, kernel, model, divergence, plan);
            writer.Line($"return {trace};");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }

    /// <summary>DynamicsAndDivergence(t, z) of a flow: from its FlowDynamics kernel, or forward and Divergence one after the other.</summary>
    public static string WriteFlowDynamics(IrModel model, IrKernel? fused, ModelMembers members, ScalarCache scalars)
    {
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        string tuple = $"({TorchSharpNames.Tensor} Dynamics, {TorchSharpNames.Tensor} Divergence)";
        if (fused is null)
        {
            writer.Line("/// <summary>f(t, z) and tr(∂f/∂z), [B, D] and [B]: forward, then the trace of the Jacobian (no closed form to share the work with).</summary>");
            writer.Line("/// <param name=\"t\">The time: a scalar tensor, or one time per sample ([B]).</param>");
            writer.Line("/// <param name=\"y\">The packed state, [B, " + CSharpLiterals.Int(model.StateSize) + "].</param>");
            using (writer.OpenBlock($"public {tuple} DynamicsAndDivergence({TorchSharpNames.Tensor} t, {TorchSharpNames.Tensor} y)"))
                writer.Line("return (forward(t, y), Divergence(t, y));");
            return writer.ToString();
        }

        var kernel = new KernelWriter(model, fused, members, scalars);
        string plan = ClosedFormTrace.PlanFor(model)!.Description;
        writer.Line($"/// <summary>f(t, z) and tr(∂f/∂z), [B, D] and [B], in one pass: the divergence's {CommentText.Xml(plan)}, sharing the hidden layers with f.</summary>");
        writer.Line($"/// <param name=\"{kernel.Time}\">The time: a scalar tensor, or one time per sample ([B]).</param>");
        writer.Line($"/// <param name=\"{kernel.Packed}\">The packed state ({kernel.StateLayout()}), [B, {CSharpLiterals.Int(model.StateSize)}].</param>");
        using (writer.OpenBlock($"public {tuple} DynamicsAndDivergence({TorchSharpNames.Tensor} {kernel.Time}, {TorchSharpNames.Tensor} {kernel.Packed})"))
        {
            (string[] derivatives, string trace) = WriteBody(writer, kernel, model, fused, plan);
            writer.Line($"return ({kernel.PackedResult(derivatives)}, {trace});");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }

    /// <summary>
    /// The body both closed-form methods share: the states, the time, the kernel's forward statements, then the trace
    /// under the statement it differentiates, with the cost model's note. Returns the derivatives' locals (those the
    /// kernel computes) and the trace's local; the caller writes the return.
    /// </summary>
    private static (string[] Derivatives, string Trace) WriteBody(SourceWriter writer, KernelWriter kernel, IrModel model, IrKernel closedForm, string plan)
    {
        kernel.WriteStateReads(writer);
        kernel.WriteTime(writer);
        string[] derivatives = kernel.WriteForwardStatements(writer);
        IrStatement trace = closedForm.Statements.Single(statement => statement.Role == IrRole.Divergence);
        kernel.WriteStatementComment(writer, trace.Origin);
        writer.Line($"// {plan}.");
        kernel.WriteNamed(writer, trace.Value, kernel.Method.Claim("divergence"), trace.Origin);
        writer.Directive(LineDirectives.Hidden);
        return (derivatives, kernel.Local(trace.Value)!);
    }
}
