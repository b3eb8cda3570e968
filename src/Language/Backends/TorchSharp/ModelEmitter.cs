using System.Linq;
using System.Reflection;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// The back end: from a model's optimised IR to readable TorchSharp C#. One partial class per model deriving from
/// <c>OdeDsl.OdeModel</c>, in two files: <c>{Namespace}.{Model}.g.cs</c> (fields, constructor, metadata, forward) and
/// <c>{Namespace}.{Model}.Vjp.g.cs</c> (the analytic adjoint), one file per kernel of the model beyond the forward
/// one. It writes the kernels it is given and derives none. The output depends on the <see cref="IrModel"/> alone,
/// so equal models give byte-identical files.
/// </summary>
public static class ModelEmitter
{
    /// <summary>The generator's name and version, written into <c>[GeneratedCode]</c>.</summary>
    public const string ToolName = "OdeDsl.Generator";

    public static readonly string ToolVersion = SafeVersion(
        typeof(ModelEmitter).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version);

    /// <summary>The model's files: the class, then its Vjp (when the model has a Vjp kernel).</summary>
    public static EquatableArray<GeneratedSource> Emit(IrModel model)
    {
        (string text, string? vjp) = new ModelEmission(model).Write();
        var sources = new System.Collections.Generic.List<GeneratedSource> { new(HintName(model), text) };
        if (vjp is not null)
            sources.Add(new GeneratedSource(VjpHintName(model), vjp));
        return sources.ToEquatableArray();
    }

    private static string SafeVersion(string? version) =>
        version is not null && version.Length > 0 && version.All(c => char.IsDigit(c) || c == '.') ? version : "1.0.0.0";

    /// <summary><c>{Namespace}.{Model}.g.cs</c>, or <c>{Model}.g.cs</c> in the global namespace.</summary>
    public static string HintName(IrModel model) => QualifiedName(model) + ".g.cs";

    /// <summary><c>{Namespace}.{Model}.Vjp.g.cs</c>.</summary>
    public static string VjpHintName(IrModel model) => QualifiedName(model) + ".Vjp.g.cs";

    private static string QualifiedName(IrModel model) => (model.Namespace.Length == 0 ? "" : model.Namespace + ".") + model.Name;
}
