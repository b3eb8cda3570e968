namespace OdeDsl.Language;

// ODE9xxx: the compiler's own failures, and ODE0299 for constructs the back end cannot lower yet (none at present:
// every construct of the language generates; a flow's log-density dynamics, when they come, are not a construct).
// (Owned by the IR/back-end stages; the front end's IDs live in the other parts of this class.)
public static partial class DiagnosticCatalog
{
    /// <summary>ODE0299 — <c>Model '{model}' uses {construct}, which code generation does not support yet; no code was generated for it.</c></summary>
    public static OdeDiagnostic NotSupportedYet(string filePath, SourceSpan span, string model, string construct) =>
        Error("ODE0299", filePath, span,
            $"Model {Q(model)} uses {construct}, which code generation does not support yet; no code was generated for {Q(model)}.");

    /// <summary>ODE9001 — <c>Internal compiler error while {stage} '{subject}': {exception}. Please report it; other models still compile.</c></summary>
    public static OdeDiagnostic InternalError(string filePath, string stage, string subject, System.Exception exception) =>
        Error("ODE9001", filePath, new SourceSpan(0, 0, 1, 1, 1, 1),
            $"Internal compiler error while {stage} {Q(subject)}: {exception.GetType().Name}: {OneLine(exception.Message)}. Please report it with the .ode file; other models still compile.");

    // Diagnostics are printed one per line.
    private static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ");
}
