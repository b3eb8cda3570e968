using System;
using System.Collections.Generic;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Syntax;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// The .ode front end's single entry point: text → bound models plus diagnostics
/// (Syntax → Ast → Semantics). Never throws on any input.
/// </summary>
public static class OdeFrontEnd
{
    /// <param name="filePath">The path reported in diagnostics and kept in each <see cref="BoundModel"/>.</param>
    /// <param name="text">The file's contents.</param>
    /// <param name="defaultNamespace">Used when the file has no <c>namespace</c> line (the project's root namespace).</param>
    public static FrontEndResult Analyze(string filePath, string text, string? defaultNamespace = null)
    {
        ParseResult parsed = OdeSyntax.Parse(filePath, text);
        if (parsed.File is not { } file)
            return new FrontEndResult(EquatableArray<BoundModel>.Empty, parsed.Diagnostics);

        var diagnostics = new DiagnosticBag(filePath);
        foreach (OdeDiagnostic diagnostic in parsed.Diagnostics)
            diagnostics.Add(diagnostic);
        var models = new List<BoundModel>();
        try
        {
            string ns = file.Namespace?.Name ?? defaultNamespace ?? "";
            var seen = new Dictionary<string, ModelDeclaration>();
            foreach (ModelDeclaration model in file.Models)
            {
                if (seen.TryGetValue(model.Name.Text, out ModelDeclaration? first))
                {
                    diagnostics.Add(DiagnosticCatalog.DuplicateModel(filePath, model.Name.Span, model.Name.Text, first.Name.Span));
                    continue;
                }
                seen.Add(model.Name.Text, model);
                if (ModelBinder.Bind(model, ns, diagnostics) is { } bound)
                    models.Add(bound);
            }
        }
        catch (InsufficientExecutionStackException)
        {
            diagnostics.Add(DiagnosticCatalog.NestedTooDeeply(filePath, file.Span, Syntax.BracketChecker.MaxDepth));
            models.Clear();
        }
        return new FrontEndResult(models.ToEquatableArray(), diagnostics.Items.ToEquatableArray());
    }
}
