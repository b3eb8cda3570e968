namespace OdeDsl.Language;

// ODE9xxx: the compiler's own failures (owned by the middle end and the back ends; the front end's IDs live in the
// other parts of this class). Every construct of the language generates code, so no "not supported" ID exists.
public static partial class DiagnosticCatalog
{
    /// <summary>ODE9001 — <c>Internal compiler error while {stage} '{subject}': {exception}. Please report it; other models still compile.</c></summary>
    public static OdeDiagnostic InternalError(string filePath, string stage, string subject, System.Exception exception) =>
        Error("ODE9001", filePath, new SourceSpan(0, 0, 1, 1, 1, 1),
            $"Internal compiler error while {stage} {Q(subject)}: {exception.GetType().Name}: {OneLine(exception.Message)}. Please report it with the .ode file; other models still compile.");

    // Diagnostics are printed one per line.
    private static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ");
}
