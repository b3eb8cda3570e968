using System.Collections.Generic;
using System.Linq;
using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using OdeDsl.Language.Syntax.Generated;

namespace OdeDsl.Language.Syntax;

/// <summary>Plain words for tokens and sets of expected tokens, for hand-written syntax errors.</summary>
internal static class TokenWords
{
    private static readonly int[] ExpressionStarts = { OdeLexer.IDENT, OdeLexer.NUMBER, OdeLexer.LPAREN, OdeLexer.LBRACK, OdeLexer.MINUS };
    private static readonly int[] MemberStarts = { OdeLexer.STATE, OdeLexer.PARAM, OdeLexer.CONST, OdeLexer.LAYER, OdeLexer.LET, OdeLexer.IDENT };
    private static readonly int[] Operators = { OdeLexer.PLUS, OdeLexer.MINUS, OdeLexer.STAR, OdeLexer.SLASH, OdeLexer.AT, OdeLexer.CARET, OdeLexer.LBRACK };

    public static bool IsKeyword(int type) => type >= OdeLexer.NAMESPACE && type <= OdeLexer.LET;

    /// <summary>What was found: "name 'x'", "number '2'", "keyword 'model'", "';'", "the end of the file".</summary>
    public static string Found(IToken token) => token.Type switch
    {
        TokenConstants.EOF => "end of file",
        OdeLexer.IDENT => $"name '{token.Text}'",
        OdeLexer.NUMBER => $"number '{token.Text}'",
        _ when IsKeyword(token.Type) => $"keyword '{token.Text}'",
        _ => $"'{token.Text}'",
    };

    /// <summary>What was expected, with token families collapsed: "an expression", "an operator or ';'".</summary>
    public static string Expected(IntervalSet expected)
    {
        var types = new HashSet<int>(expected.ToList());
        var words = new List<string>();
        if (MemberStarts.All(types.Contains))
        {
            words.Add("a member ('state', 'param', 'const', 'layer', 'let' or an equation 'dx/dt = …')");
            types.ExceptWith(MemberStarts);
        }
        if (ExpressionStarts.All(types.Contains))
        {
            words.Add("an expression");
            types.ExceptWith(ExpressionStarts);
        }
        if (Operators.All(types.Contains))
        {
            words.Add("an operator");
            types.ExceptWith(Operators);
        }
        words.AddRange(types.OrderBy(t => t == TokenConstants.EOF ? int.MaxValue : t).Select(Word));
        if (words.Count == 0)
            return "something else";
        return words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[words.Count - 1];
    }

    private static string Word(int type) => type switch
    {
        TokenConstants.EOF => "the end of the file",
        OdeLexer.IDENT => "a name",
        OdeLexer.NUMBER => "a number",
        _ => OdeParser.DefaultVocabulary.GetLiteralName(type) ?? OdeParser.DefaultVocabulary.GetDisplayName(type),
    };
}
