using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OdeDsl.Language;

namespace OdeDsl.Generator;

/// <summary>
/// Turns the compiler's diagnostics into Roslyn's, located in the .ode file so that <c>dotnet build</c> prints
/// <c>path/model.ode(LINE,COL): error ODExxxx: …</c> and IDEs underline the right text.
/// </summary>
internal static class DiagnosticMapper
{
    private const string Category = "OdeDsl";

    private static readonly ConcurrentDictionary<(string, OdeSeverity), DiagnosticDescriptor> Descriptors = new();

    public static Diagnostic ToRoslyn(OdeDiagnostic diagnostic) =>
        Diagnostic.Create(Descriptor(diagnostic.Id, diagnostic.Severity), Locate(diagnostic), diagnostic.Message);

    /// <summary>Roslyn positions are 0-based; the compiler's lines and columns are 1-based.</summary>
    public static Location Locate(OdeDiagnostic diagnostic)
    {
        SourceSpan span = diagnostic.Span;
        var start = new LinePosition(System.Math.Max(0, span.Line - 1), System.Math.Max(0, span.Column - 1));
        var end = new LinePosition(System.Math.Max(start.Line, span.EndLine - 1), System.Math.Max(0, span.EndColumn - 1));
        if (end.Line == start.Line && end.Character < start.Character)
            end = start;
        var textSpan = new TextSpan(System.Math.Max(0, span.Start), System.Math.Max(0, span.Length));
        return Location.Create(diagnostic.FilePath, textSpan, new LinePositionSpan(start, end));
    }

    // The IDs are the stable constants of the Language's DiagnosticCatalog (one factory per ID, listed in
    // AnalyzerReleases.*.md); the generator only relays them, so its descriptors are built from the ID at run time.
#pragma warning disable RS1017 // DiagnosticId must be a constant: see above.
    private static DiagnosticDescriptor Descriptor(string id, OdeSeverity severity) =>
        Descriptors.GetOrAdd((id, severity), key => new DiagnosticDescriptor(
            key.Item1,
            title: key.Item1,
            messageFormat: "{0}",
            category: Category,
            defaultSeverity: key.Item2 switch
            {
                OdeSeverity.Error => DiagnosticSeverity.Error,
                OdeSeverity.Warning => DiagnosticSeverity.Warning,
                _ => DiagnosticSeverity.Info,
            },
            isEnabledByDefault: true,
            helpLinkUri: DiagnosticCatalog.HelpLink(key.Item1)));
#pragma warning restore RS1017
}
