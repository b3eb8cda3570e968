using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OdeDsl.Language;

namespace OdeDsl.Generator.CSharpFrontEnd;

/// <summary>Roslyn positions (0-based) as the compiler's <see cref="SourceSpan"/> (1-based lines and columns).</summary>
internal static class SyntaxSpans
{
    public static SourceSpan Of(SyntaxNode node) => Of(node.SyntaxTree, node.Span);

    public static SourceSpan Of(SyntaxToken token) => Of(token.SyntaxTree!, token.Span);

    public static SourceSpan Of(SyntaxTree tree, TextSpan span)
    {
        FileLinePositionSpan lines = tree.GetLineSpan(span);
        return new SourceSpan(span.Start, span.Length,
            lines.StartLinePosition.Line + 1, lines.StartLinePosition.Character + 1,
            lines.EndLinePosition.Line + 1, lines.EndLinePosition.Character + 1);
    }
}
