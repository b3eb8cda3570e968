using System.Collections.Generic;
using System.Linq;
using Antlr4.Runtime;
using OdeDsl.Language.Syntax.Generated;

namespace OdeDsl.Language.Syntax;

/// <summary>
/// Matches (), [] and {} over the token list before parsing. An unbalanced bracket derails ANTLR's
/// recovery into a cascade of messages far from the cause; this pass names the bracket instead.
/// It also bounds nesting depth, so that no later recursive stage can run out of stack.
/// </summary>
internal static class BracketChecker
{
    public const int MaxDepth = 64;

    /// <summary>Reports the first bracket problem, if any, and returns whether there was none.</summary>
    public static bool Check(IList<IToken> tokens, LineMap lines, DiagnosticBag diagnostics)
    {
        var open = new Stack<IToken>();
        foreach (IToken token in tokens)
        {
            if (token.Channel != TokenConstants.DefaultChannel)
                continue;
            switch (token.Type)
            {
                case OdeLexer.LPAREN:
                case OdeLexer.LBRACK:
                case OdeLexer.LBRACE:
                    if (token.Type == OdeLexer.LBRACE && open.Count > 0 && open.Peek().Type != OdeLexer.LBRACE)
                        return Unclosed(open.Peek(), token, lines, diagnostics);
                    open.Push(token);
                    if (open.Count > MaxDepth)
                    {
                        diagnostics.Add(DiagnosticCatalog.NestedTooDeeply(diagnostics.FilePath, lines.Of(token), MaxDepth));
                        return false;
                    }
                    break;
                case OdeLexer.RPAREN:
                case OdeLexer.RBRACK:
                case OdeLexer.RBRACE:
                    if (open.Count == 0)
                    {
                        diagnostics.Add(DiagnosticCatalog.UnmatchedClosingBracket(diagnostics.FilePath, lines.Of(token), token.Text, OpenerOf(token.Type)));
                        return false;
                    }
                    if (open.Peek().Type != OpenerTypeOf(token.Type))
                    {
                        // `x * 2)` inside `{ … }`: a stray closer, unless an opener of its kind is further out.
                        if (!open.Any(o => o.Type == OpenerTypeOf(token.Type)))
                        {
                            diagnostics.Add(DiagnosticCatalog.UnmatchedClosingBracket(diagnostics.FilePath, lines.Of(token), token.Text, OpenerOf(token.Type)));
                            return false;
                        }
                        return Unclosed(open.Peek(), token, lines, diagnostics);
                    }
                    open.Pop();
                    break;
                case OdeLexer.SEMI:
                    // ';' ends a statement, so it cannot sit inside '(…)'; inside '[…]' it separates parts.
                    if (open.Count > 0 && open.Peek().Type == OdeLexer.LPAREN)
                        return Unclosed(open.Peek(), token, lines, diagnostics);
                    break;
                case TokenConstants.EOF:
                    if (open.Count > 0)
                        return Unclosed(open.Peek(), token, lines, diagnostics);
                    break;
            }
        }
        return true;
    }

    private static bool Unclosed(IToken opener, IToken found, LineMap lines, DiagnosticBag diagnostics)
    {
        string close = CloserOf(opener.Type);
        string foundText = found.Type == TokenConstants.EOF ? "the end of the file" : "'" + found.Text + "'";
        diagnostics.Add(DiagnosticCatalog.UnclosedBracket(diagnostics.FilePath, lines.Of(found), opener.Text, close, lines.Of(opener), foundText));
        return false;
    }

    private static int OpenerTypeOf(int closer) => closer switch
    {
        OdeLexer.RPAREN => OdeLexer.LPAREN,
        OdeLexer.RBRACK => OdeLexer.LBRACK,
        _ => OdeLexer.LBRACE,
    };

    private static string OpenerOf(int closer) => closer switch
    {
        OdeLexer.RPAREN => "(",
        OdeLexer.RBRACK => "[",
        _ => "{",
    };

    private static string CloserOf(int opener) => opener switch
    {
        OdeLexer.LPAREN => ")",
        OdeLexer.LBRACK => "]",
        _ => "}",
    };
}
