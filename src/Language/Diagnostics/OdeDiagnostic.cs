namespace OdeDsl.Language;

/// <summary>How bad a diagnostic is; errors fail the build.</summary>
public enum OdeSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>
/// One message about a .ode file (or an [OdeModel] class): a stable ID such as ODE0101, a full-sentence
/// message and the exact place it refers to. Immutable and equatable, so it can flow through the generator.
/// </summary>
public sealed record OdeDiagnostic(string Id, OdeSeverity Severity, string Message, string FilePath, SourceSpan Span)
{
    /// <summary>The form compilers print: <c>path(line,col): error ODE0101: message</c>.</summary>
    public override string ToString() =>
        $"{FilePath}({Span.Line},{Span.Column}): {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";
}
