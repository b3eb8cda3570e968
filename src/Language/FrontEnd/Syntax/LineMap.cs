using System;
using System.Collections.Generic;

namespace OdeDsl.Language.Syntax;

/// <summary>
/// Turns UTF-16 offsets into 1-based lines and columns. Lines end at "\n", "\r\n" or "\r", as in
/// Roslyn's SourceText, so that positions agree with what IDEs and <c>dotnet build</c> show.
/// (ANTLR's own line/column count only "\n" and start columns at 0, so they are not used.)
/// </summary>
public sealed class LineMap
{
    private readonly int[] lineStarts;

    public LineMap(string text)
    {
        Length = text.Length;
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                i++;
            if (c is '\r' or '\n')
                starts.Add(i + 1);
        }
        lineStarts = starts.ToArray();
    }

    /// <summary>The text's length in UTF-16 code units.</summary>
    public int Length { get; }

    public (int Line, int Column) Position(int offset)
    {
        offset = Math.Max(0, Math.Min(offset, Length));
        int index = Array.BinarySearch(lineStarts, offset);
        int line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - lineStarts[line] + 1);
    }

    /// <summary>The span of the text from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public SourceSpan Span(int start, int end)
    {
        start = Math.Max(0, Math.Min(start, Length));
        end = Math.Max(start, Math.Min(end, Length));
        (int line, int column) = Position(start);
        (int endLine, int endColumn) = Position(end);
        return new SourceSpan(start, end - start, line, column, endLine, endColumn);
    }

    /// <summary>The smallest span covering both.</summary>
    public SourceSpan Cover(SourceSpan first, SourceSpan last) =>
        Span(Math.Min(first.Start, last.Start), Math.Max(first.Start + first.Length, last.Start + last.Length));
}
