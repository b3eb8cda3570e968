using System.Globalization;
using Antlr4.Runtime;
using OdeDsl.Language.Syntax.Generated;

namespace OdeDsl.Language.Syntax;

/// <summary>
/// The generated lexer plus the lexical diagnostics. The grammar turns bad input into whole tokens
/// (a name with a non-ASCII letter, a number glued to letters, a run of stray characters, an open
/// comment) so that each gets one precise message here instead of a cascade of parser errors. Bad
/// names and numbers continue as IDENT and NUMBER, stray characters are dropped.
/// </summary>
internal sealed class CheckedLexer : OdeLexer
{
    private readonly LineMap lines;
    private readonly DiagnosticBag diagnostics;

    public CheckedLexer(ICharStream input, LineMap lines, DiagnosticBag diagnostics)
        : base(input)
    {
        this.lines = lines;
        this.diagnostics = diagnostics;
        RemoveErrorListeners();
    }

    /// <summary>An open comment swallows the rest of the file, so nothing after it is worth checking.</summary>
    public bool SawUnterminatedComment { get; private set; }

    public override IToken NextToken()
    {
        while (true)
        {
            IToken token = base.NextToken();
            switch (token.Type)
            {
                case INVALID_CHARACTERS:
                    diagnostics.Add(DiagnosticCatalog.InvalidCharacter(diagnostics.FilePath, lines.Span(token.StartIndex, token.StartIndex + 1), Describe(token.Text, 0)));
                    continue;
                case NON_ASCII_IDENT:
                    ReportNonAsciiName(token);
                    ((CommonToken)token).Type = IDENT;
                    return token;
                case MALFORMED_NUMBER:
                    diagnostics.Add(DiagnosticCatalog.MalformedNumber(diagnostics.FilePath, lines.Of(token), token.Text));
                    ((CommonToken)token).Type = NUMBER;
                    return token;
                case BLOCK_COMMENT when token.Text.Length < 4 || !token.Text.EndsWith("*/", System.StringComparison.Ordinal):
                    SawUnterminatedComment = true;
                    diagnostics.Add(DiagnosticCatalog.UnterminatedComment(diagnostics.FilePath, lines.Span(token.StartIndex, token.StartIndex + 2)));
                    return token;
                default:
                    return token;
            }
        }
    }

    private void ReportNonAsciiName(IToken token)
    {
        string text = token.Text;
        int first = 0;
        while (first < text.Length && text[first] < 0x80)
            first++;
        int width = char.IsSurrogatePair(text, first) ? 2 : 1;
        SourceSpan at = lines.Span(token.StartIndex + first, token.StartIndex + first + width);
        if (width == 1 && !char.IsLetterOrDigit(text[first]))
        {
            // A symbol or exotic space (→, U+00A0), not a letter: say so rather than talk about names.
            diagnostics.Add(DiagnosticCatalog.InvalidCharacter(diagnostics.FilePath, at, Describe(text, first)));
            return;
        }
        diagnostics.Add(DiagnosticCatalog.NonAsciiIdentifier(diagnostics.FilePath, at, text, Describe(text, first)));
    }

    /// <summary>"'σ' (U+03C3)": the character (when printable) and its code point.</summary>
    private static string Describe(string text, int index)
    {
        int codePoint = char.IsSurrogatePair(text, index) ? char.ConvertToUtf32(text, index) : text[index];
        string code = "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture);
        char c = text[index];
        bool printable = codePoint > 0xFFFF || !(char.IsSurrogate(c) || char.IsControl(c) || char.IsWhiteSpace(c));
        return printable ? $"'{char.ConvertFromUtf32(codePoint)}' ({code})" : $"{code}";
    }
}
