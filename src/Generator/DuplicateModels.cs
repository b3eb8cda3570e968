using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using OdeDsl.Language;

namespace OdeDsl.Generator;

/// <summary>
/// Models of the same qualified name in different files (two .ode files, or an .ode model and an <c>[OdeModel]</c>
/// class) would add the same generated file twice, which makes Roslyn drop every source of the generator. The first
/// declaration (by file path, then position) generates; each later one gets ODE0116 and generates nothing.
/// Generated file names are compared ignoring case, as Roslyn compares hint names.
/// </summary>
internal static class DuplicateModels
{
    /// <summary>The later declarations of each name, with their diagnostics.</summary>
    public static IEnumerable<(ModelSite Site, OdeDiagnostic Diagnostic)> Later(ImmutableArray<ModelSite> ode, ImmutableArray<ModelSite> classes)
    {
        IEnumerable<IGrouping<string, ModelSite>> groups = ode.Concat(classes)
            .OrderBy(site => site.FilePath, StringComparer.Ordinal)
            .ThenBy(site => site.NameSpan.Start)
            .GroupBy(site => site.QualifiedName, StringComparer.OrdinalIgnoreCase);
        foreach (IGrouping<string, ModelSite> group in groups)
        {
            ModelSite first = group.First();
            foreach (ModelSite later in group.Skip(1))
                yield return (later, DiagnosticCatalog.DuplicateModelInProject(later.FilePath, later.NameSpan, later.QualifiedName,
                    first.QualifiedName, first.FilePath, first.NameSpan));
        }
    }

    /// <summary>The identity of a model that must not generate: its qualified name and file (no positions, so edits elsewhere keep it equal).</summary>
    public static string Key(string qualifiedName, string filePath) => qualifiedName + "\n" + filePath;

    public static EquatableArray<string> Excluded(ImmutableArray<ModelSite> ode, ImmutableArray<ModelSite> classes) =>
        Later(ode, classes).Select(pair => Key(pair.Site.QualifiedName, pair.Site.FilePath)).Distinct().OrderBy(key => key, StringComparer.Ordinal).ToEquatableArray();

    public static EquatableArray<OdeDiagnostic> Diagnostics(ImmutableArray<ModelSite> ode, ImmutableArray<ModelSite> classes) =>
        Later(ode, classes).Select(pair => pair.Diagnostic).ToEquatableArray();
}
