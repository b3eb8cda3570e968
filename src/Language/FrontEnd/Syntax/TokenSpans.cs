using Antlr4.Runtime;

namespace OdeDsl.Language.Syntax;

/// <summary>Spans of ANTLR tokens and contexts. The input stream is UTF-16, so token indices are UTF-16 offsets.</summary>
internal static class TokenSpans
{
    public static SourceSpan Of(this LineMap lines, IToken token) =>
        token.Type == TokenConstants.EOF
            ? lines.Span(lines.Length, lines.Length)
            : lines.Span(token.StartIndex, token.StopIndex + 1);

    public static SourceSpan Of(this LineMap lines, ParserRuleContext context)
    {
        IToken start = context.Start;
        IToken? stop = context.Stop;
        if (stop is null || stop.StopIndex < start.StartIndex)
            return lines.Span(start.StartIndex, start.StartIndex);
        return lines.Span(start.StartIndex, stop.StopIndex + 1);
    }

    /// <summary>An empty span just after a token: where a missing ';' belongs.</summary>
    public static SourceSpan After(this LineMap lines, IToken token) =>
        lines.Span(token.StopIndex + 1, token.StopIndex + 1);
}
