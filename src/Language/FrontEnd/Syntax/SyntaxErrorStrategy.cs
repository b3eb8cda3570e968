using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using OdeDsl.Language.Syntax.Generated;

namespace OdeDsl.Language.Syntax;

/// <summary>
/// ANTLR's recovery (single-token insertion and deletion, resynchronisation) with our own messages:
/// a missing ';' names the statement it ends, a keyword where a name belongs says it is reserved, and
/// everything else says what was found and what was expected, in words. At most one error per line
/// is kept, because the ones after the first on a line are nearly always echoes of it.
/// (ANTLR's `Line` is 1-based and counts only "\n"; it is used here only to compare two tokens.)
/// </summary>
internal sealed class SyntaxErrorStrategy : DefaultErrorStrategy
{
    private readonly LineMap lines;
    private readonly DiagnosticBag diagnostics;
    private int lastErrorLine;

    public SyntaxErrorStrategy(LineMap lines, DiagnosticBag diagnostics)
    {
        this.lines = lines;
        this.diagnostics = diagnostics;
    }

    // A ';' ends a statement: deleting it to let the statement run on into the next line ('dx/dt = v +;' read as
    // 'v + dv/dt') turns one mistake into a second error on a correct line. Recovery resynchronises at it instead.
    protected override IToken? SingleTokenDeletion(Parser recognizer) =>
        recognizer.CurrentToken.Type == OdeLexer.SEMI ? null : base.SingleTokenDeletion(recognizer);

    protected override void ReportMissingToken(Parser recognizer)
    {
        if (InErrorRecoveryMode(recognizer))
            return;
        BeginErrorCondition(recognizer);
        IntervalSet expected = GetExpectedTokens(recognizer);
        IToken previous = ((ITokenStream)recognizer.InputStream).LT(-1);
        if (expected.Contains(OdeLexer.SEMI) && previous is not null)
        {
            Add(DiagnosticCatalog.MissingSemicolon(diagnostics.FilePath, lines.After(previous), previous.Text, StatementName(recognizer.Context)));
            return;
        }
        ReportUnexpected(recognizer, recognizer.CurrentToken, expected);
    }

    protected override void ReportUnwantedToken(Parser recognizer)
    {
        if (InErrorRecoveryMode(recognizer))
            return;
        BeginErrorCondition(recognizer);
        ReportUnexpected(recognizer, recognizer.CurrentToken, GetExpectedTokens(recognizer));
    }

    protected override void ReportInputMismatch(Parser recognizer, InputMismatchException e) =>
        ReportUnexpected(recognizer, e.OffendingToken, e.GetExpectedTokens());

    protected override void ReportNoViableAlternative(Parser recognizer, NoViableAltException e) =>
        ReportUnexpected(recognizer, e.OffendingToken, e.GetExpectedTokens());

    protected override void ReportFailedPredicate(Parser recognizer, FailedPredicateException e) =>
        ReportUnexpected(recognizer, e.OffendingToken, e.GetExpectedTokens());

    private void ReportUnexpected(Parser recognizer, IToken found, IntervalSet expected)
    {
        SourceSpan span = lines.Of(found);
        IToken? previous = found.TokenIndex > 0 ? PreviousOnChannel(recognizer, found) : null;
        IToken? beforePrevious = previous is not null && previous.TokenIndex > 0 ? PreviousOnChannel(recognizer, previous) : null;
        if (previous is { Type: OdeLexer.IDENT } && beforePrevious is { Type: OdeLexer.PARAM }
            && found.Type is not (OdeLexer.ASSIGN or OdeLexer.TILDE or OdeLexer.LBRACK))
        {
            // 'param k;': the alternatives are a value or a shape and an initialiser; say so, with both forms.
            // When the line ends after the name, point there rather than at the next statement.
            string name = previous.Text;
            bool lineEnds = found.Line > previous.Line || found.Type == TokenConstants.EOF;
            Add(DiagnosticCatalog.UnexpectedToken(diagnostics.FilePath, lineEnds ? lines.After(previous) : span, lineEnds ? "end of line" : TokenWords.Found(found),
                $"a value or a shape after 'param {name}': write 'param {name} = 1.0;' for a scalar, or 'param {name}[3] ~ normal(0, 0.1);' for a shape and its initialiser"));
        }
        else if (found.Type == OdeLexer.ASSIGN && previous is { Type: OdeLexer.IDENT } && expected.Count == 1 && expected.Contains(OdeLexer.SLASH))
        {
            // 'x = -x;' where an equation 'dx/dt = -x;' belongs.
            Add(DiagnosticCatalog.AssignmentNotDerivative(diagnostics.FilePath, lines.Of(previous), previous.Text));
        }
        else if (found.Type == OdeLexer.STAR && previous is { Type: OdeLexer.STAR } && previous.StopIndex + 1 == found.StartIndex)
        {
            // 'x**3': Python's and Fortran's power operator.
            IToken? next = found.TokenIndex + 1 < ((ITokenStream)recognizer.InputStream).Size ? NextOnChannel(recognizer, found) : null;
            string example = beforePrevious is not null && EndsOperand(beforePrevious) && next is { Type: OdeLexer.IDENT or OdeLexer.NUMBER }
                ? beforePrevious.Text + "^" + next.Text
                : "x^3";
            Add(DiagnosticCatalog.UnexpectedToken(diagnostics.FilePath, lines.Cover(lines.Of(previous), span), "'**'",
                $"'^' for a power, as in '{example}' ('**' is not an operator in .ode)"));
        }
        else if (TokenWords.IsKeyword(found.Type) && expected.Contains(OdeLexer.IDENT))
        {
            Add(DiagnosticCatalog.ReservedName(diagnostics.FilePath, span, found.Text, "a keyword of the language"));
        }
        else if (expected.Contains(OdeLexer.SEMI) && previous is not null && StartsNextStatement(found, previous))
        {
            // `state x` then `param k = 1;` on the next line: the ';' is missing, not the ','.
            Add(DiagnosticCatalog.MissingSemicolon(diagnostics.FilePath, lines.After(previous), previous.Text, StatementName(recognizer.Context)));
        }
        else
        {
            string words = TokenWords.Expected(expected);
            if (expected.Count == 1 && expected.Contains(OdeLexer.SEMI) && previous is not null && EndsOperand(previous))
                words = "an operator or ';'";
            Add(DiagnosticCatalog.UnexpectedToken(diagnostics.FilePath, span, TokenWords.Found(found), words));
        }
    }

    private static bool StartsNextStatement(IToken found, IToken previous) =>
        found.Type is OdeLexer.RBRACE or TokenConstants.EOF || TokenWords.IsKeyword(found.Type) || found.Line > previous.Line;

    private static bool EndsOperand(IToken token) =>
        token.Type is OdeLexer.IDENT or OdeLexer.NUMBER or OdeLexer.RPAREN or OdeLexer.RBRACK;

    private static IToken? PreviousOnChannel(Parser recognizer, IToken token)
    {
        var stream = (ITokenStream)recognizer.InputStream;
        for (int i = token.TokenIndex - 1; i >= 0; i--)
        {
            IToken candidate = stream.Get(i);
            if (candidate.Channel == TokenConstants.DefaultChannel)
                return candidate;
        }
        return null;
    }

    private static IToken? NextOnChannel(Parser recognizer, IToken token)
    {
        var stream = (ITokenStream)recognizer.InputStream;
        for (int i = token.TokenIndex + 1; i < stream.Size; i++)
        {
            IToken candidate = stream.Get(i);
            if (candidate.Channel == TokenConstants.DefaultChannel)
                return candidate;
        }
        return null;
    }

    private void Add(OdeDiagnostic diagnostic)
    {
        // A lexical error on the line (a stray character, a bad number) already explains it.
        if (diagnostic.Span.Line == lastErrorLine || System.Linq.Enumerable.Any(diagnostics.Items, d => d.Span.Line == diagnostic.Span.Line))
            return;
        lastErrorLine = diagnostic.Span.Line;
        diagnostics.Add(diagnostic);
    }

    private static string StatementName(RuleContext? context)
    {
        for (; context is not null; context = context.Parent)
        {
            switch (context)
            {
                case OdeParser.NamespaceDeclarationContext: return "namespace declaration";
                case OdeParser.StateMemberContext: return "state declaration";
                case OdeParser.ParamValueMemberContext or OdeParser.ParamInitializedMemberContext: return "param declaration";
                case OdeParser.ConstMemberContext: return "const declaration";
                case OdeParser.LayerMemberContext: return "layer declaration";
                case OdeParser.LetMemberContext: return "let statement";
                case OdeParser.EquationMemberContext: return "equation";
            }
        }
        return "statement";
    }
}
