namespace OdeDsl.Language;

/// <summary>
/// A region of a source file: character offset and length, and 1-based line/column of both ends
/// (columns count UTF-16 code units, as Roslyn's LinePosition does, plus one).
/// </summary>
public readonly record struct SourceSpan(int Start, int Length, int Line, int Column, int EndLine, int EndColumn)
{
    public static SourceSpan None => default;

    public override string ToString() => $"({Line},{Column})-({EndLine},{EndColumn})";
}
