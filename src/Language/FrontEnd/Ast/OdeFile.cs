namespace OdeDsl.Language.Ast;

/// <summary>A whole .ode file: an optional namespace and its model declarations, in source order.</summary>
public sealed record OdeFile(string FilePath, NamespaceDeclaration? Namespace, EquatableArray<ModelDeclaration> Models, SourceSpan Span)
    : AstNode(Span);

/// <summary><c>namespace A.B;</c></summary>
public sealed record NamespaceDeclaration(string Name, SourceSpan Span) : AstNode(Span);

/// <summary>Whether a declaration is a plain model or a continuous normalizing flow.</summary>
public enum ModelKind
{
    Model,
    Flow,
}

/// <summary><c>model Name { members }</c> or <c>flow Name { members }</c>.</summary>
public sealed record ModelDeclaration(ModelKind Kind, Identifier Name, EquatableArray<MemberDeclaration> Members, SourceSpan Span)
    : AstNode(Span);
