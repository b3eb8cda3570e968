using System;
using Antlr4.Runtime;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Syntax.Generated;

namespace OdeDsl.Language.Syntax;

/// <summary>
/// The syntax stage: .ode text → AST plus ODE00xx diagnostics. Never throws: any text, including
/// an empty file, binary data or absurd nesting, comes back as diagnostics.
/// </summary>
public static class OdeSyntax
{
    /// <summary>Syntax errors reported per file before giving up (then one ODE0012).</summary>
    public const int MaxErrors = 100;

    public static ParseResult Parse(string filePath, string text)
    {
        var lines = new LineMap(text);
        var diagnostics = new DiagnosticBag(filePath, MaxErrors);
        OdeFile? file = ParseCore(filePath, text, lines, diagnostics);
        return new ParseResult(diagnostics.HasErrors ? null : file, diagnostics.Items.ToEquatableArray());
    }

    private static OdeFile? ParseCore(string filePath, string text, LineMap lines, DiagnosticBag diagnostics)
    {
        // AntlrInputStream indexes UTF-16 code units, so token offsets are SourceSpan offsets.
        var lexer = new CheckedLexer(new AntlrInputStream(text), lines, diagnostics);
        var tokens = new CommonTokenStream(lexer);
        tokens.Fill();
        if (lexer.SawUnterminatedComment || !BracketChecker.Check(tokens.GetTokens(), lines, diagnostics))
            return null;

        var parser = new GuardedParser(tokens) { ErrorHandler = new SyntaxErrorStrategy(lines, diagnostics) };
        try
        {
            OdeParser.FileContext tree = parser.file();
            if (diagnostics.HasErrors)
                return null;
            OdeFile file = new AstBuilder(filePath, lines, diagnostics).BuildFile(tree);
            // An empty or comment-only file is harmless (a model not written yet): a warning. Anything else without a
            // model (a namespace line alone) is an error.
            if (file.Models.Count == 0)
                diagnostics.Add(file.Namespace is null
                    ? DiagnosticCatalog.EmptyFile(filePath, lines.Span(0, 0))
                    : DiagnosticCatalog.NoModel(filePath, lines.Span(0, 0)));
            return file;
        }
        catch (InsufficientExecutionStackException)
        {
            diagnostics.Add(DiagnosticCatalog.NestedTooDeeply(filePath, lines.Of(parser.CurrentToken), BracketChecker.MaxDepth));
            return null;
        }
    }
}
