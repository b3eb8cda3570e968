namespace OdeDsl.Language.Ast;

/// <summary>
/// The base of every syntax node: immutable, with value equality that includes the exact
/// <see cref="SourceSpan"/> (1-based line and column). The AST mirrors the text; the bound model
/// (Semantics) is what ignores positions.
/// </summary>
public abstract record AstNode(SourceSpan Span);

/// <summary>A name as written, with its own span so that diagnostics can point at it.</summary>
public sealed record Identifier(string Text, SourceSpan Span) : AstNode(Span)
{
    public override string ToString() => Text;
}
