using System.Linq;
using System.Reflection;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// The back end: from a model's optimised IR to readable TorchSharp C#. One partial class per model deriving from
/// <c>OdeDsl.OdeModel</c>, in <c>{Namespace}.{Model}.g.cs</c>. The output depends on the <see cref="IrModel"/> alone,
/// so equal models give byte-identical files.
/// </summary>
public static class ModelEmitter
{
    /// <summary>The generator's name and version, written into <c>[GeneratedCode]</c>.</summary>
    public const string ToolName = "OdeDsl.Generator";

    public static readonly string ToolVersion = SafeVersion(
        typeof(ModelEmitter).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version);

    public static GeneratedSource Emit(IrModel model) => new(HintName(model), new ModelEmission(model).Write());

    private static string SafeVersion(string? version) =>
        version is not null && version.Length > 0 && version.All(c => char.IsDigit(c) || c == '.') ? version : "1.0.0.0";

    /// <summary><c>{Namespace}.{Model}.g.cs</c>, or <c>{Model}.g.cs</c> in the global namespace.</summary>
    public static string HintName(IrModel model) =>
        (model.Namespace.Length == 0 ? "" : model.Namespace + ".") + model.Name + ".g.cs";
}
