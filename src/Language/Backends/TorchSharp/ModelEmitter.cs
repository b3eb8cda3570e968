using System.Linq;
using System.Reflection;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// The TorchSharp back end: from a model's kernels to readable TorchSharp C#. One partial class per model deriving from
/// <c>OdeDsl.OdeModel</c>: <c>{Namespace}.{Model}.g.cs</c> (fields, constructor, metadata, forward), then one file per
/// kernel of the model beyond the forward one (<c>.Vjp.g.cs</c>, the analytic adjoint; <c>.Jvp.g.cs</c>, forward mode;
/// <c>.Jacobian.g.cs</c>, the Jacobian; <c>.Divergence.g.cs</c>, its exact trace). It writes the kernels it is given and derives none. The output depends on the <see cref="IrModel"/> alone,
/// so equal models give byte-identical files.
/// </summary>
public static class ModelEmitter
{
    /// <summary>The generator's name and version, written into <c>[GeneratedCode]</c>.</summary>
    public const string ToolName = "OdeDsl.Generator";

    public static readonly string ToolVersion = SafeVersion(
        typeof(ModelEmitter).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version);

    /// <summary>The model's files: the class, then one per derived function (<c>.Vjp.g.cs</c>, <c>.Jvp.g.cs</c>, <c>.Jacobian.g.cs</c>, <c>.Divergence.g.cs</c>).</summary>
    public static EquatableArray<GeneratedSource> Emit(IrModel model)
    {
        ValidateNames(model);
        var members = new ModelMembers(model);
        var scalars = new ScalarCache(model, members.Names);
        // The methods first: they decide which cached scalars the class needs, and their locals are named before
        // the class's later fields, which avoid them.
        string forward = ForwardWriter.Write(model, members, scalars);
        string? vjp = model.Kernel(IrKernelKind.Vjp) is IrKernel vjpKernel ? VjpWriter.Write(model, vjpKernel, members, scalars) : null;
        string? flowVjp = model.Kernel(IrKernelKind.FlowVjp) is IrKernel flowVjpKernel ? VjpWriter.Write(model, flowVjpKernel, members, scalars) : null;
        string? jvp = model.Kernel(IrKernelKind.Jvp) is IrKernel jvpKernel ? JvpWriter.Write(model, jvpKernel, members, scalars) : null;
        string? jacobian = model.Kernel(IrKernelKind.Jacobian) is IrKernel jacobianKernel ? JacobianWriter.Write(model, jacobianKernel, members, scalars) : null;
        // The closed form when the compiler derived one, else (with a Jacobian to take the trace of) the Jacobian's trace.
        string? divergence = model.Kernel(IrKernelKind.Divergence) is IrKernel divergenceKernel ? DivergenceWriter.Write(model, divergenceKernel, members, scalars)
            : jacobian is not null ? DivergenceWriter.Write(model, null, members, scalars) : null;
        if (divergence is not null && model.Kind == IrModelKind.Flow)
            divergence += System.Environment.NewLine + DivergenceWriter.WriteFlowDynamics(model, model.Kernel(IrKernelKind.FlowDynamics), members, scalars);
        var files = new ClassWriter(model, members, scalars);
        var sources = new System.Collections.Generic.List<GeneratedSource> { new(HintName(model), files.ModelFile(forward)) };
        if (vjp is not null)
            sources.Add(new GeneratedSource(QualifiedName(model) + ".Vjp.g.cs", files.VjpFile(vjp, flowVjp)));
        if (jvp is not null)
            sources.Add(new GeneratedSource(QualifiedName(model) + ".Jvp.g.cs", files.JvpFile(jvp)));
        if (jacobian is not null)
            sources.Add(new GeneratedSource(QualifiedName(model) + ".Jacobian.g.cs", files.JacobianFile(jacobian)));
        if (divergence is not null)
            sources.Add(new GeneratedSource(QualifiedName(model) + ".Divergence.g.cs", files.DivergenceFile(divergence)));
        return sources.ToEquatableArray();
    }

    // Every name reaching the output is checked here once more, whatever the front end promised.
    private static void ValidateNames(IrModel model)
    {
        CSharpNames.Validate(model.Name);
        if (model.Namespace.Length > 0)
            CSharpNames.EscapeNamespace(model.Namespace);
        foreach (string name in model.States.Select(s => s.Name).Concat(model.Parameters.Select(p => p.LocalName))
                     .Concat(model.Layers.Select(l => l.Name)).Concat(model.Constants.Select(c => c.Name)).Concat(model.LetNames))
            CSharpNames.Validate(name);
        int equations = model.Forward.Statements.Count(statement => statement.Role == IrRole.Derivative);
        if (equations != model.States.Count)
            throw new System.InvalidOperationException($"Model '{model.Name}' has {model.States.Count} states but {equations} equations.");
    }


    private static string SafeVersion(string? version) =>
        version is not null && version.Length > 0 && version.All(c => char.IsDigit(c) || c == '.') ? version : "1.0.0.0";

    /// <summary><c>{Namespace}.{Model}.g.cs</c>, or <c>{Model}.g.cs</c> in the global namespace.</summary>
    public static string HintName(IrModel model) => QualifiedName(model) + ".g.cs";

    /// <summary>The namespace, containing types and name, dotted: the generated files' names less their suffix.</summary>
    public static string QualifiedName(IrModel model) => string.Join(".",
        new[] { model.Namespace }.Where(ns => ns.Length > 0).Concat(model.ContainingTypes.Select(type => type.Name)).Append(model.Name));
}
