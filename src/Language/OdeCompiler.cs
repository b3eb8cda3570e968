using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Emit;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Lowering;
using OdeDsl.Language.Passes;
using OdeDsl.Language.Semantics;

namespace OdeDsl.Language;

/// <summary>One .ode file compiled: the IR of every model that compiled (its optimised forward kernel and every derived kernel), and every diagnostic of the file.</summary>
public sealed record OdeCompilation(EquatableArray<IrModel> Models, EquatableArray<OdeDiagnostic> Diagnostics)
{
    /// <summary>
    /// Where each of <see cref="Models"/> is declared, in the same order: what a check across files (two models of the
    /// same name) reports on. Kept apart from the models, whose equality ignores positions.
    /// </summary>
    public EquatableArray<ModelSite> Sites { get; init; } = EquatableArray<ModelSite>.Empty;

    public bool HasErrors => Diagnostics.Any(diagnostic => diagnostic.Severity == OdeSeverity.Error);
}

/// <summary>One compiled model's declaration: its qualified name (the generated files' names less <c>.g.cs</c>), file and name span.</summary>
public sealed record ModelSite(string QualifiedName, string FilePath, SourceSpan NameSpan);

/// <summary>
/// The compiler's one entry point: .ode text → IR (front end, lowering, passes, derived kernels) → C# (emitter). Never throws: a
/// failure inside the compiler becomes an ODE9001 diagnostic for the model (or file) it happened in, and the other
/// models of the file still compile.
/// </summary>
public static class OdeCompiler
{
    /// <summary>Parses, binds, lowers and optimises every model of one file, and derives its kernels.</summary>
    /// <param name="filePath">The path quoted by diagnostics and <c>#line</c> directives.</param>
    /// <param name="text">The file's contents.</param>
    /// <param name="defaultNamespace">The project's root namespace, for files without a <c>namespace</c> line.</param>
    public static OdeCompilation Compile(string filePath, string text, string? defaultNamespace)
    {
        try
        {
            FrontEndResult front = OdeFrontEnd.Analyze(filePath, text, CSharpNames.NamespaceOrNull(defaultNamespace));
            return Lower(filePath, front.Models, front.Diagnostics);
        }
        catch (System.Exception exception)
        {
            return new OdeCompilation(EquatableArray<IrModel>.Empty,
                EquatableArray.Create(DiagnosticCatalog.InternalError(filePath, "compiling file", System.IO.Path.GetFileName(filePath), exception)));
        }
    }

    /// <summary>
    /// Binds, lowers and optimises one model that the <c>[OdeModel]</c> C# front end has already read into the .ode
    /// AST, and derives its kernels: from the AST on, both front ends share every step. The models are marked
    /// <see cref="IrModel.DeclaredInCSharp"/>, so the emitter joins their generated part to the user's class.
    /// </summary>
    /// <param name="filePath">The path quoted by diagnostics and <c>#line</c> directives.</param>
    /// <param name="declaration">The model as .ode syntax, with spans in <paramref name="filePath"/>.</param>
    /// <param name="ns">The model's namespace.</param>
    /// <param name="containingTypes">The types the class is nested in, outermost first (none: directly in the namespace).</param>
    public static OdeCompilation Compile(string filePath, ModelDeclaration declaration, string ns, EquatableArray<IrContainingType> containingTypes = default)
    {
        try
        {
            var diagnostics = new DiagnosticBag(filePath);
            BoundModel? bound = ModelBinder.Bind(declaration, ns, diagnostics);
            OdeCompilation compilation = Lower(filePath, bound is null ? EquatableArray<BoundModel>.Empty : EquatableArray.Create(bound), diagnostics.Items.ToEquatableArray(),
                model => model with { DeclaredInCSharp = true, ContainingTypes = containingTypes.Count == 0 ? EquatableArray<IrContainingType>.Empty : containingTypes });
            return compilation;
        }
        catch (System.Exception exception)
        {
            return new OdeCompilation(EquatableArray<IrModel>.Empty,
                EquatableArray.Create(DiagnosticCatalog.InternalError(filePath, "compiling model", declaration.Name.Text, exception)));
        }
    }

    private static OdeCompilation Lower(string filePath, EquatableArray<BoundModel> boundModels, IEnumerable<OdeDiagnostic> frontEndDiagnostics,
        System.Func<IrModel, IrModel>? finish = null)
    {
        var diagnostics = new List<OdeDiagnostic>(frontEndDiagnostics);
        var models = new List<IrModel>();
        var sites = new List<ModelSite>();
        foreach (BoundModel bound in boundModels)
        {
            try
            {
                IrModel model = DerivedKernels.Add(IrOptimizer.Optimize(IrLowering.Lower(bound)));
                if (finish is not null)
                    model = finish(model);
                models.Add(model);
                sites.Add(new ModelSite(ModelEmitter.QualifiedName(model), filePath, bound.NameLocation.Span));
            }
            catch (System.Exception exception)
            {
                diagnostics.Add(DiagnosticCatalog.InternalError(filePath, "compiling model", bound.Name, exception));
            }
        }
        return new OdeCompilation(models.ToEquatableArray(), diagnostics.ToEquatableArray()) { Sites = sites.ToEquatableArray() };
    }

    /// <summary>
    /// Emits one model's C# files (the class, then its Vjp); none, with an ODE9001 in <paramref name="diagnostic"/>,
    /// if the emitter fails.
    /// </summary>
    public static EquatableArray<GeneratedSource> Emit(IrModel model, out OdeDiagnostic? diagnostic)
    {
        try
        {
            diagnostic = null;
            return ModelEmitter.Emit(model);
        }
        catch (System.Exception exception)
        {
            diagnostic = DiagnosticCatalog.InternalError(model.SourcePath, "emitting C# for model", model.Name, exception);
            return EquatableArray<GeneratedSource>.Empty;
        }
    }
}
