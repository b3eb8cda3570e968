using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OdeDsl.Generator.CSharpFrontEnd;
using OdeDsl.Generator.Models;
using OdeDsl.Language;
using OdeDsl.Language.Ir;

namespace OdeDsl.Generator;

/// <summary>
/// Compiles every <c>*.ode</c> additional file into TorchSharp model classes. A thin host: all the work is
/// <see cref="OdeCompiler"/>'s; this class only adapts Roslyn's inputs and outputs.
/// </summary>
/// <remarks>
/// The pipeline, and why each step exists:
/// <list type="number">
/// <item><b>RootNamespace</b>: models in files without a <c>namespace</c> line go into the project's root namespace.</item>
/// <item><b>OdeFiles</b>: the file's path and text as strings, so an untouched file stops the pipeline right here.</item>
/// <item><b>Compilations</b>: front end, lowering and passes; yields equatable IR plus diagnostics (never throws).</item>
/// <item><b>Models</b>: one item per model. The IR keeps statement lines but no columns, so a whitespace or comment
/// edit inside a line produces equal items and Roslyn skips everything downstream.</item>
/// <item><b>Sources</b>: the emitter, per model (the class file and its Vjp file); an unchanged model is not re-emitted.</item>
/// <item><b>Diagnostics</b>: a separate branch, so diagnostics (whose columns do change) never force code regeneration.</item>
/// <item><b>ModelClasses</b> … <b>ClassDiagnostics</b>: the same steps for <c>[OdeModel]</c> classes, found by
/// <c>ForAttributeWithMetadataName</c> and read into the .ode AST (equatable, no Roslyn objects), so an edit outside
/// such a class never reaches them.</item>
/// </list>
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class OdeGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<string?> rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select((options, _) => options.GlobalOptions.TryGetValue("build_property.RootNamespace", out string? ns) ? ns : null)
            .WithTrackingName(TrackingNames.RootNamespace);

        IncrementalValuesProvider<OdeFileInput> files = context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(".ode", StringComparison.OrdinalIgnoreCase))
            .Combine(rootNamespace)
            .Select((pair, cancellation) => ReadFile(pair.Left, pair.Right, cancellation))
            .WithTrackingName(TrackingNames.OdeFiles);

        IncrementalValuesProvider<OdeCompilation> compilations = files
            .Select((file, cancellation) => Compile(file, cancellation))
            .WithTrackingName(TrackingNames.Compilations);

        IncrementalValuesProvider<IrModel> models = compilations
            .SelectMany((compilation, _) => compilation.Models)
            .WithTrackingName(TrackingNames.Models);

        IncrementalValuesProvider<EquatableArray<OdeDiagnostic>> diagnostics = compilations
            .Select((compilation, _) => compilation.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        // The C# front end: [OdeModel] classes, read into the same AST and compiled by the same compiler.
        IncrementalValuesProvider<ModelClassInput> classes = context.SyntaxProvider
            .ForAttributeWithMetadataName(ModelClassReader.AttributeName, static (node, _) => node is ClassDeclarationSyntax, ModelClassReader.Read)
            .WithTrackingName(TrackingNames.ModelClasses);

        IncrementalValuesProvider<OdeCompilation> classCompilations = classes
            .Select((input, cancellation) => CompileClass(input, cancellation))
            .WithTrackingName(TrackingNames.ClassCompilations);

        IncrementalValuesProvider<IrModel> classModels = classCompilations
            .SelectMany((compilation, _) => compilation.Models)
            .WithTrackingName(TrackingNames.ClassModels);

        // One model name declared in two places (two files, or a file and a class): the later ones generate nothing
        // and get ODE0116. The excluded set holds no positions, so an edit that moves text leaves it equal.
        IncrementalValueProvider<(ImmutableArray<ModelSite> Left, ImmutableArray<ModelSite> Right)> sites = compilations
            .SelectMany((compilation, _) => compilation.Sites).Collect()
            .Combine(classCompilations.SelectMany((compilation, _) => compilation.Sites).Collect());
        IncrementalValueProvider<EquatableArray<string>> excluded = sites
            .Select((pair, _) => DuplicateModels.Excluded(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.DuplicateModels);
        IncrementalValueProvider<EquatableArray<OdeDiagnostic>> duplicateDiagnostics = sites
            .Select((pair, _) => DuplicateModels.Diagnostics(pair.Left, pair.Right));

        IncrementalValuesProvider<ModelOutput> sources = models
            .Combine(excluded)
            .Where(pair => !IsExcluded(pair.Left, pair.Right))
            .Select((pair, _) => Emit(pair.Left))
            .WithTrackingName(TrackingNames.Sources);

        context.RegisterSourceOutput(sources, AddSource);
        context.RegisterSourceOutput(diagnostics, ReportDiagnostics);
        context.RegisterSourceOutput(duplicateDiagnostics, ReportDiagnostics);

        IncrementalValuesProvider<ModelOutput> classSources = classModels
            .Combine(excluded)
            .Where(pair => !IsExcluded(pair.Left, pair.Right))
            .Select((pair, _) => Emit(pair.Left))
            .WithTrackingName(TrackingNames.ClassSources);

        IncrementalValuesProvider<EquatableArray<OdeDiagnostic>> classDiagnostics = classCompilations
            .Select((compilation, _) => compilation.Diagnostics)
            .WithTrackingName(TrackingNames.ClassDiagnostics);

        context.RegisterSourceOutput(classSources, AddSource);
        context.RegisterSourceOutput(classDiagnostics, ReportDiagnostics);
    }
}
