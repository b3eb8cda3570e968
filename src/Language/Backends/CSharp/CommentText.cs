using System.IO;
using System.Text;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Text from the .ode file that appears in generated comments. It is rebuilt from an allow-list of characters —
/// identifier characters, digits, the language's operators and punctuation, spaces — so no line break, <c>*/</c>,
/// directive or XML markup can reach the output, whatever the input.
/// </summary>
public static class CommentText
{
    /// <summary>A statement's normalised source text, safe for a <c>//</c> comment and XML documentation.</summary>
    public static string Statement(string source) => CloseCommentTokens(Filter(source, IsStatementCharacter));

    /// <summary>A statement in math form (see MathFormatter): the statement characters plus · − ² ³ ᵀ Σ.</summary>
    public static string Math(string text) =>
        CloseCommentTokens(Filter(text, c => IsStatementCharacter(c) || "·−²³ᵀΣ".IndexOf(c) >= 0));

    /// <summary>A file's name (never its directories), safe for comments.</summary>
    public static string FileName(string path) => CloseCommentTokens(Filter(Path.GetFileName(path), IsFileNameCharacter));

    /// <summary>Escapes the XML metacharacters for text inside documentation comments.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Filter(string text, System.Func<char, bool> allowed)
    {
        var result = new StringBuilder(text.Length);
        foreach (char c in text)
            result.Append(allowed(c) ? c : '?');
        return result.ToString();
    }

    // Harmless in a // comment, but no emitted comment ever contains a block-comment delimiter.
    private static string CloseCommentTokens(string text)
    {
        while (text.Contains("*/") || text.Contains("/*"))
            text = text.Replace("*/", "* /").Replace("/*", "/ *");
        return text;
    }

    private static bool IsStatementCharacter(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_ .+-*/^()[];,:@=~".IndexOf(c) >= 0;

    private static bool IsFileNameCharacter(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_ .-+()[]@=,~".IndexOf(c) >= 0;
}
