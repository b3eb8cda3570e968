using System.Globalization;

namespace OdeDsl.Language;

// ODE00xx: text the lexer or parser cannot read. A file with any of these is not bound.
public static partial class DiagnosticCatalog
{
    /// <summary>ODE0001 — <c>Unexpected {found}; expected {expected}.</c></summary>
    public static OdeDiagnostic UnexpectedToken(string filePath, SourceSpan span, string found, string expected) =>
        Error("ODE0001", filePath, span, $"Unexpected {found}; expected {expected}.");

    /// <summary>ODE0002 — <c>Expected ';' after '{previous}' to end the {statement}.</c></summary>
    public static OdeDiagnostic MissingSemicolon(string filePath, SourceSpan span, string previous, string statement) =>
        Error("ODE0002", filePath, span, $"Expected ';' after {Q(previous)} to end the {statement}.");

    /// <summary>ODE0003 — <c>Expected '{close}' to close the '{open}' at line {l}, column {c}, but found {found}.</c></summary>
    public static OdeDiagnostic UnclosedBracket(string filePath, SourceSpan span, string open, string close, SourceSpan openSpan, string found) =>
        Error("ODE0003", filePath, span, $"Expected {Q(close)} to close the {Q(open)} at {At(openSpan)}, but found {found}.");

    /// <summary>ODE0004 — <c>Unexpected '{close}': there is no '{open}' for it to close.</c></summary>
    public static OdeDiagnostic UnmatchedClosingBracket(string filePath, SourceSpan span, string close, string open) =>
        Error("ODE0004", filePath, span, $"Unexpected {Q(close)}: there is no {Q(open)} for it to close. Remove it or add the missing {Q(open)}.");

    /// <summary>ODE0005 — <c>Unexpected character {description}; it has no meaning in a .ode file.</c></summary>
    public static OdeDiagnostic InvalidCharacter(string filePath, SourceSpan span, string description) =>
        Error("ODE0005", filePath, span, $"Unexpected character {description}; it has no meaning in a .ode file. Remove it.");

    /// <summary>ODE0006 — <c>The name '{name}' contains {description}: identifiers must be ASCII letters, digits and '_'.</c></summary>
    public static OdeDiagnostic NonAsciiIdentifier(string filePath, SourceSpan span, string name, string description) =>
        Error("ODE0006", filePath, span, $"The name {Q(name)} contains {description}: identifiers must be ASCII letters, digits and '_'.");

    /// <summary>ODE0007 — <c>'{text}' is not a valid number. Write numbers like 1, 2.5, .5, 3e7 or 1.0e-4.</c></summary>
    public static OdeDiagnostic MalformedNumber(string filePath, SourceSpan span, string text) =>
        Error("ODE0007", filePath, span, $"{Q(text)} is not a valid number. Write numbers like 1, 2.5, .5, 3e7 or 1.0e-4, and separate them from names with an operator.");

    /// <summary>ODE0008 — <c>The block comment is never closed: add '*/' to end it.</c></summary>
    public static OdeDiagnostic UnterminatedComment(string filePath, SourceSpan span) =>
        Error("ODE0008", filePath, span, "The block comment is never closed: add '*/' to end it.");

    /// <summary>ODE0009 — <c>This is nested too deeply (more than {limit} levels); split it into 'let' statements.</c></summary>
    public static OdeDiagnostic NestedTooDeeply(string filePath, SourceSpan span, int limit) =>
        Error("ODE0009", filePath, span, string.Format(CultureInfo.InvariantCulture,
            "This is nested too deeply (more than {0} levels); split it into 'let' statements.", limit));

    /// <summary>ODE0010 — <c>The file declares no model: add 'model Name { … }' or 'flow Name { … }'.</c></summary>
    public static OdeDiagnostic NoModel(string filePath, SourceSpan span) =>
        Error("ODE0010", filePath, span, "The file declares no model: add 'model Name { … }' or 'flow Name { … }'.");

    /// <summary>ODE0011 — <c>'{numerator}/{denominator}' is not a derivative: an equation must look like 'dx/dt = …;' where x is a state.</c></summary>
    public static OdeDiagnostic MalformedEquation(string filePath, SourceSpan span, string numerator, string denominator) =>
        Error("ODE0011", filePath, span, $"{Q(numerator + "/" + denominator)} is not a derivative: an equation must look like 'dx/dt = …;' where x is a state.");

    /// <summary>ODE0011 — <c>'{name} = …' is not an equation: an equation sets a state's derivative, as in 'd{name}/dt = …;'.</c></summary>
    public static OdeDiagnostic AssignmentNotDerivative(string filePath, SourceSpan span, string name) =>
        Error("ODE0011", filePath, span, $"'{name} = …' is not a derivative: an equation sets a state's derivative, as in 'd{name}/dt = …;', and a value that is not a state is declared with 'let {name} = …;'.");

    /// <summary>ODE0014 (warning) — <c>The file is empty: it declares no model. …</c></summary>
    public static OdeDiagnostic EmptyFile(string filePath, SourceSpan span) =>
        new("ODE0014", OdeSeverity.Warning, "The file is empty (or holds only comments): it declares no model. Add 'model Name { … }' or remove the file from the project's .ode files.", filePath, span);

    /// <summary>ODE0012 — <c>Too many syntax errors; stopped after {count}. Fix the first ones and rebuild.</c></summary>
    public static OdeDiagnostic TooManyErrors(string filePath, SourceSpan span, int count) =>
        Error("ODE0012", filePath, span, string.Format(CultureInfo.InvariantCulture,
            "Too many syntax errors; stopped after {0}. Fix the first ones and rebuild.", count));

    /// <summary>ODE0013 — <c>The number '{text}' is too large: it does not fit a double (about ±1.8e308).</c></summary>
    public static OdeDiagnostic NumberOutOfRange(string filePath, SourceSpan span, string text) =>
        Error("ODE0013", filePath, span, $"The number {Q(text)} is too large: it does not fit a double (about ±1.8e308).");
}
