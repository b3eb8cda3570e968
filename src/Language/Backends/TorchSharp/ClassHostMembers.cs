using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// What the generated part adds when the model is an <c>[OdeModel]</c> C# class (<see cref="IrModel.DeclaredInCSharp"/>):
/// the derivative fields its <c>Dynamics</c> assigns (<c>dx</c> for state <c>x</c>), its <c>[Const]</c> fields' values
/// (its <c>[Param]</c> and <c>[Layer]</c> fields are the generated constructor's parameters themselves), and <c>ReferenceForward</c>, which runs that hand-written
/// <c>Dynamics</c> one sample at a time: the slow reference, differentiable by autograd, that the generated
/// <c>forward</c> equals.
/// </summary>
internal sealed class ClassHostMembers
{
    private readonly IrModel model;

    public ClassHostMembers(IrModel model) => this.model = model;

    /// <summary>The names the user's class declares or the generated part adds for it, which generated fields must avoid.</summary>
    public static System.Collections.Generic.IEnumerable<string> ReservedNames(IrModel model) => !model.DeclaredInCSharp
        ? Enumerable.Empty<string>()
        : model.Parameters.Where(parameter => parameter.Layer is null).Select(parameter => CSharpNames.Escape(parameter.Name))
            .Concat(model.Layers.Select(layer => CSharpNames.Escape(layer.Name)))
            .Concat(model.Constants.Select(constant => constant.Name))
            .Concat(new[] { "Dynamics", ReferenceForward });
    // The derivative fields (dx) are not reserved: the generated methods' locals of the same name may shadow them.

    private const string ReferenceForward = "ReferenceForward";

    private static string DerivativeField(string state) => "d" + state;

    public void WriteDerivativeFields(SourceWriter writer)
    {
        writer.BlankLine();
        writer.Line("// The derivatives Dynamics assigns, one per state; ReferenceForward reads them.");
        foreach (IrState state in model.States)
            writer.Line($"private {TorchSharpNames.Tensor} {CSharpNames.Escape(DerivativeField(state.Name))} = null!;");
    }

    /// <summary>The constructor's last lines: the class's constants; its states are set per sample by ReferenceForward.</summary>
    public void WriteFieldAssignments(SourceWriter writer)
    {
        writer.Line(model.Constants.Count > 0
            ? "// The class's own [Const] fields take the constructor's values; its [State] fields are set per sample by ReferenceForward."
            : "// The class's [State] fields are set per sample by ReferenceForward.");
        foreach (IrConstant constant in model.Constants)
            writer.Line($"this.{CSharpNames.Escape(constant.Name)} = {CSharpNames.Escape(constant.Name)};");
        foreach (IrState state in model.States)
            writer.Line($"this.{CSharpNames.Escape(state.Name)} = null!;");
    }

    public void WriteReferenceForward(SourceWriter writer)
    {
        writer.BlankLine();
        writer.Line("/// <summary>");
        writer.Line("/// dy/dt by the class's own <c>Dynamics</c>, run on one sample at a time: the slow reference implementation,");
        writer.Line($"/// differentiable by autograd, that the generated <c>forward</c> equals. <paramref name=\"y\"/> is [B, {model.StateSize}], the result too.");
        writer.Line("/// </summary>");
        writer.Line("/// <param name=\"t\">The time: a scalar tensor, or one time per sample ([B]).</param>");
        writer.Line("/// <param name=\"y\">The packed states, one row per sample.</param>");
        using (writer.OpenBlock($"public {TorchSharpNames.Tensor} {ReferenceForward}({TorchSharpNames.Tensor} t, {TorchSharpNames.Tensor} y)"))
        {
            writer.Line($"var rows = new {TorchSharpNames.Tensor}[y.shape[0]];");
            using (writer.OpenBlock("for (int sample = 0; sample < rows.Length; sample++)"))
            {
                writer.Line("var row = y[sample];");
                foreach (IrState state in model.States)
                {
                    string value = state.Shape.IsScalar
                        ? $"row[{CSharpLiterals.Int(state.Offset)}]"
                        : $"row.narrow(0, {CSharpLiterals.Int(state.Offset)}, {CSharpLiterals.Int(state.Shape.ElementCount)})";
                    writer.Line($"this.{CSharpNames.Escape(state.Name)} = {value};");
                }
                writer.Line("Dynamics(t.dim() == 0 ? t : t[sample]);");
                string derivatives = string.Join(", ", model.States.Select(state => $"this.{CSharpNames.Escape(DerivativeField(state.Name))}.reshape(-1)"));
                writer.Line($"rows[sample] = {TorchSharpNames.Torch}.cat(new[] {{ {derivatives} }}, 0);");
            }
            writer.Line($"return {TorchSharpNames.Torch}.stack(rows, 0);");
        }
    }
}
