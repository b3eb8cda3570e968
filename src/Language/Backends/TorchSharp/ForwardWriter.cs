using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>forward(t, y): the forward kernel as the model's right-hand side for a batch.</summary>
internal static class ForwardWriter
{
    /// <summary>The method, indented for its place in the class.</summary>
    public static string Write(IrModel model, ModelMembers members, ScalarCache scalars)
    {
        var kernel = new KernelWriter(model, model.Forward, members, scalars);
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        writer.Line("/// <summary>Evaluates dy/dt for a batch: <paramref name=\"" + kernel.Packed + "\"/> is [B, " + CSharpLiterals.Int(model.StateSize) + "], the result too.</summary>");
        writer.Line($"/// <param name=\"{kernel.Time}\">The time: a scalar tensor, or one time per sample ([B]) when each sample takes its own steps.</param>");
        writer.Line($"/// <param name=\"{kernel.Packed}\">The packed states ({kernel.StateLayout()}), one row per sample.</param>");
        using (writer.OpenBlock($"public override {TorchSharpNames.Tensor} forward({TorchSharpNames.Tensor} {kernel.Time}, {TorchSharpNames.Tensor} {kernel.Packed})"))
        {
            kernel.WriteStateReads(writer);
            kernel.WriteTime(writer);
            string[] derivatives = kernel.WriteForwardStatements(writer);
            writer.Directive(LineDirectives.Hidden);
            writer.Line("return " + kernel.PackedResult(derivatives) + ";");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }
}
