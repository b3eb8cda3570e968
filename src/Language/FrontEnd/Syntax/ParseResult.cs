using OdeDsl.Language.Ast;

namespace OdeDsl.Language.Syntax;

/// <summary>
/// The syntax stage's output: the AST when the file has no syntax error (otherwise null, and the
/// diagnostics say why), and the diagnostics in source order of discovery.
/// </summary>
public sealed record ParseResult(OdeFile? File, EquatableArray<OdeDiagnostic> Diagnostics);
