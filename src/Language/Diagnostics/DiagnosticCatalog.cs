using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace OdeDsl.Language;

/// <summary>
/// Every diagnostic the .ode front end reports: one factory per ID, with typed arguments and a
/// full-sentence message that says what was expected and how to fix it. IDs are stable and grouped
/// by stage: ODE00xx syntax, ODE01xx names and declarations, ODE02xx shapes, arity and constants,
/// ODE03xx the C# front end, ODE9xxx internal errors (declared in other parts of this partial class).
/// Each ID has a help page in docs/diagnostics/.
/// </summary>
public static partial class DiagnosticCatalog
{
    /// <summary>
    /// Where the help pages live: the repository's <c>docs/diagnostics/</c> folder. The one base every diagnostic's
    /// help link (<see cref="HelpLink"/>) is built from; change it here if the repository moves.
    /// </summary>
    public const string HelpLinkBase = "https://github.com/OdeDsl/OdeDsl/blob/main/docs/diagnostics/";

    /// <summary>The help page of a diagnostic ID: <c>{HelpLinkBase}ODExxxx.md</c>.</summary>
    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    private static OdeDiagnostic Error(string id, string filePath, SourceSpan span, string message) =>
        new(id, OdeSeverity.Error, message, filePath, span);

    /// <summary>Quotes a piece of source in messages: <c>'text'</c>.</summary>
    private static string Q(string text) => "'" + text + "'";

    private static string DidYouMean(string? suggestion) => suggestion is null ? "" : $" Did you mean {Q(suggestion)}?";

    private static string At(SourceSpan span) =>
        string.Format(CultureInfo.InvariantCulture, "line {0}, column {1}", span.Line, span.Column);

    private static string Plural(int count, string singular) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : singular + "s");

    private static string JoinWords(IEnumerable<string> words)
    {
        string[] list = words.ToArray();
        return list.Length <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Length - 1)) + " or " + list[list.Length - 1];
    }
}
