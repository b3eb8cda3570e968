using System.Collections.Generic;

namespace OdeDsl.Language;

/// <summary>
/// Collects the diagnostics of one stage for one file. Syntax errors are capped (a binary file
/// would otherwise produce thousands), ending with one ODE0012 that says so.
/// </summary>
internal sealed class DiagnosticBag
{
    private readonly List<OdeDiagnostic> items = new();
    private readonly int limit;
    private bool full;

    public DiagnosticBag(string filePath, int limit = int.MaxValue)
    {
        FilePath = filePath;
        this.limit = limit;
    }

    public string FilePath { get; }

    public int Count => items.Count;

    public bool HasErrors => items.Exists(d => d.Severity == OdeSeverity.Error);

    public IReadOnlyList<OdeDiagnostic> Items => items;

    public void Add(OdeDiagnostic diagnostic)
    {
        if (full)
            return;
        if (items.Count >= limit)
        {
            full = true;
            items.Add(DiagnosticCatalog.TooManyErrors(FilePath, diagnostic.Span, limit));
            return;
        }
        items.Add(diagnostic);
    }
}
