using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OdeDsl.Generator.Models;
using OdeDsl.Language;
using OdeDsl.Language.Emit;
using OdeDsl.Language.Ir;

namespace OdeDsl.Generator;

/// <summary>The steps' logic. Every step catches everything but cancellation: the generator never throws.</summary>
public sealed partial class OdeGenerator
{
    private static OdeFileInput ReadFile(AdditionalText file, string? rootNamespace, CancellationToken cancellation)
    {
        string text;
        try
        {
            text = file.GetText(cancellation)?.ToString() ?? "";
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // An unreadable file compiles as empty; the compiler then says there is no model in it.
            text = "";
        }
        return new OdeFileInput(file.Path, text, rootNamespace);
    }

    // OdeCompiler.Compile never throws: a failure inside it is already an ODE9001 diagnostic.
    private static OdeCompilation Compile(OdeFileInput file, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        return OdeCompiler.Compile(file.Path, file.Text, file.DefaultNamespace);
    }

    // An [OdeModel] class the reader rejected carries its diagnostics only; one it read goes through the shared compiler.
    private static OdeCompilation CompileClass(ModelClassInput input, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        return input.Model is null
            ? new OdeCompilation(EquatableArray<IrModel>.Empty, input.Diagnostics)
            : OdeCompiler.Compile(input.FilePath, input.Model, input.Namespace, input.ContainingTypes);
    }

    private static bool IsExcluded(IrModel model, EquatableArray<string> excluded) =>
        excluded.Count > 0 && excluded.Contains(DuplicateModels.Key(ModelEmitter.QualifiedName(model), model.SourcePath));

    private static ModelOutput Emit(IrModel model)
    {
        EquatableArray<GeneratedSource> sources = OdeCompiler.Emit(model, out OdeDiagnostic? failure);
        return new ModelOutput(sources, failure);
    }

    private static void AddSource(SourceProductionContext context, ModelOutput output)
    {
        foreach (GeneratedSource source in output.Sources)
            context.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
        if (output.Failure is not null)
            context.ReportDiagnostic(DiagnosticMapper.ToRoslyn(output.Failure));
    }

    private static void ReportDiagnostics(SourceProductionContext context, EquatableArray<OdeDiagnostic> diagnostics)
    {
        foreach (OdeDiagnostic diagnostic in diagnostics)
            context.ReportDiagnostic(DiagnosticMapper.ToRoslyn(diagnostic));
    }
}
