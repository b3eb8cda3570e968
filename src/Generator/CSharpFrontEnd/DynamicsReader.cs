using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OdeDsl.Language;
using OdeDsl.Language.Ast;

namespace OdeDsl.Generator.CSharpFrontEnd;

/// <summary>
/// The body of <c>void Dynamics(Tensor t)</c> → <c>let</c> and equation declarations: each local
/// (<c>var h = …;</c>) is a <c>let</c>, each assignment <c>dx = …;</c> is <c>dx/dt = …;</c>. Every other statement is a
/// diagnostic at its node.
/// </summary>
internal sealed class DynamicsReader
{
    private readonly ReaderContext context;
    private readonly ExpressionReader expressions;
    private readonly HashSet<string> locals = new();

    public DynamicsReader(ReaderContext context)
    {
        this.context = context;
        expressions = new ExpressionReader(context);
    }

    public IEnumerable<MemberDeclaration> Read(BlockSyntax body)
    {
        foreach (StatementSyntax statement in body.Statements)
        {
            foreach (MemberDeclaration member in Statement(statement))
                yield return member;
        }
    }

    private IEnumerable<MemberDeclaration> Statement(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax local when local.UsingKeyword.IsKind(SyntaxKind.None) && local.AwaitKeyword.IsKind(SyntaxKind.None):
                foreach (VariableDeclaratorSyntax variable in local.Declaration.Variables)
                {
                    if (Let(variable) is { } let)
                        yield return let;
                }
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment } when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression):
                if (Equation(assignment, statement) is { } equation)
                    yield return equation;
                break;
            case EmptyStatementSyntax:
                break;
            default:
                context.Report(DiagnosticCatalog.UnsupportedConstruct(context.FilePath, SyntaxSpans.Of(statement), Describe(statement),
                    "the body is a straight list of locals ('var h = …;') and derivative assignments ('dx = …;'); for a choice between values use min, max, abs or relu"));
                break;
        }
    }

    private LetDeclaration? Let(VariableDeclaratorSyntax variable)
    {
        var name = new Identifier(variable.Identifier.ValueText, SyntaxSpans.Of(variable.Identifier));
        if (variable.Initializer is null)
        {
            context.Report(DiagnosticCatalog.UnsupportedConstruct(context.FilePath, SyntaxSpans.Of(variable),
                $"The local '{name.Text}' without a value", "give each local its value where it is declared"));
            return null;
        }
        locals.Add(name.Text);
        Expression? value = expressions.Read(variable.Initializer.Value);
        return value is null ? null : new LetDeclaration(name, value, SyntaxSpans.Of(variable));
    }

    private EquationDeclaration? Equation(AssignmentExpressionSyntax assignment, StatementSyntax statement)
    {
        (string target, SyntaxToken token) = assignment.Left switch
        {
            IdentifierNameSyntax identifier => (identifier.Identifier.ValueText, identifier.Identifier),
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => (member.Name.Identifier.ValueText, member.Name.Identifier),
            _ => (assignment.Left.ToString(), default),
        };
        string? state = target.Length > 1 && target[0] == 'd' && !locals.Contains(target) ? target.Substring(1) : null;
        if (token.IsKind(SyntaxKind.None) || state is null || !context.States.Contains(state!))
        {
            string hint = locals.Contains(target)
                ? $"'{target}' is a local, and locals are values: declare a new local instead of reassigning it"
                : context.States.Contains(target)
                    ? $"assign its derivative 'd{target}' instead"
                    : "declare the state with [State] and assign 'd' + its name";
            context.Report(DiagnosticCatalog.AssignmentNotDerivative(context.FilePath, SyntaxSpans.Of(assignment.Left), target, hint));
            return null;
        }

        // The state's name is the part of the token after the 'd'.
        SourceSpan tokenSpan = SyntaxSpans.Of(token);
        var stateSpan = new SourceSpan(tokenSpan.Start + 1, tokenSpan.Length - 1, tokenSpan.Line, tokenSpan.Column + 1, tokenSpan.EndLine, tokenSpan.EndColumn);
        Expression? value = expressions.Read(assignment.Right);
        return value is null ? null : new EquationDeclaration(new Identifier(state!, stateSpan), value, SyntaxSpans.Of(statement));
    }

    private static string Describe(StatementSyntax statement) => statement switch
    {
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "A loop",
        IfStatementSyntax => "An 'if' statement",
        SwitchStatementSyntax => "A 'switch' statement",
        ReturnStatementSyntax => "A 'return' statement",
        TryStatementSyntax => "A 'try' statement",
        BlockSyntax => "A nested block",
        LocalFunctionStatementSyntax => "A local function",
        LocalDeclarationStatementSyntax => "A 'using' or 'await using' declaration",
        ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax compound } => $"The compound assignment '{compound.OperatorToken.Text}'",
        ExpressionStatementSyntax => "A statement that is not an assignment",
        _ => $"The statement '{statement.GetFirstToken().Text}'",
    };
}
