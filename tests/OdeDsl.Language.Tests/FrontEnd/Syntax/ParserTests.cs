using System.Linq;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Syntax;
using Xunit;

namespace OdeDsl.Language.Tests.Syntax;

/// <summary>Precedence, associativity and literals, checked through the canonical re-printing with explicit parentheses.</summary>
public sealed class ParserTests
{
    [Theory]
    [InlineData("-x^2", "-((x^2))")]
    [InlineData("2^3^2", "(2^(3^2))")]
    [InlineData("x^-1", "(x^-(1))")]
    [InlineData("W1 @ y^3 + b1", "((W1 @ (y^3)) + b1)")]
    [InlineData("W @ s + b", "((W @ s) + b)")]
    [InlineData("a - b - c", "((a - b) - c)")]
    [InlineData("a - (b - c)", "(a - (b - c))")]
    [InlineData("a / b * c", "((a / b) * c)")]
    [InlineData("A @ B * c", "((A @ B) * c)")]
    [InlineData("-a * b", "(-(a) * b)")]
    [InlineData("-(g / l) * sin(th)", "(-((g / l)) * sin(th))")]
    [InlineData("y[0] + y[1:3] + y[:2] + y[1:]", "(((y[0] + y[1:3]) + y[:2]) + y[1:])")]
    [InlineData("[h; t][0]^2", "([h; t][0]^2)")]
    [InlineData("l1.W @ x", "(l1.W @ x)")]
    public void Precedence(string expression, string expected)
    {
        Expression parsed = ParseExpression(expression);
        Assert.Equal(expected, Explicit(parsed));
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("2.5", 2.5)]
    [InlineData("3e7", 3e7)]
    [InlineData("1.0e-4", 1e-4)]
    [InlineData(".5", 0.5)]
    [InlineData("7.", 7.0)]
    [InlineData("2E+3", 2000.0)]
    public void Numbers(string text, double value)
    {
        var number = Assert.IsType<NumberLiteral>(ParseExpression(text));
        Assert.Equal(value, number.Value);
        Assert.Equal(text, number.Text);
    }

    [Fact]
    public void CanonicalSourceIgnoresLayoutAndComments()
    {
        Expression a = ParseExpression("-(g/length)*sin( theta )+correction");
        Expression b = ParseExpression("- ( g / length ) /* c */ * sin(theta) + correction");
        Assert.Equal("-(g / length) * sin(theta) + correction", SourceFormatter.Format(a));
        Assert.Equal(SourceFormatter.Format(a), SourceFormatter.Format(b));
    }

    [Fact]
    public void SpansAreOneBasedAndExact()
    {
        ParseResult result = OdeSyntax.Parse("a.ode", "model M {\n\tstate x;\n\tdx/dt = -x;\n}");
        var equation = result.File!.Models[0].Members.OfType<EquationDeclaration>().Single();
        Assert.Equal((3, 3), (equation.State.Span.Line, equation.State.Span.Column));
        Assert.Equal((3, 2, 3, 13), (equation.Span.Line, equation.Span.Column, equation.Span.EndLine, equation.Span.EndColumn));
        Assert.Equal((3, 10), (equation.Value.Span.Line, equation.Value.Span.Column));
    }

    private static Expression ParseExpression(string expression)
    {
        ParseResult result = OdeSyntax.Parse("e.ode", "model M { let e = " + expression + "; }");
        Assert.Empty(result.Diagnostics);
        return result.File!.Models[0].Members.OfType<LetDeclaration>().Single().Value;
    }

    /// <summary>Every operator node parenthesised, so the tree's shape is visible in the text.</summary>
    private static string Explicit(Expression e) => e switch
    {
        BinaryExpression { Operator: BinaryOperator.Power } b => $"({Explicit(b.Left)}^{Explicit(b.Right)})",
        BinaryExpression b => $"({Explicit(b.Left)} {SourceFormatter.Symbol(b.Operator)} {Explicit(b.Right)})",
        NegateExpression n => $"-({Explicit(n.Operand)})",
        CallExpression c => $"{c.Callee.Name}({string.Join(", ", c.Arguments.Select(Explicit))})",
        ConcatenationExpression c => $"[{string.Join("; ", c.Parts.Select(Explicit))}]",
        IndexExpression i => $"{Explicit(i.Target)}[{Explicit(i.Index)}]",
        SliceExpression s => $"{Explicit(s.Target)}[{(s.Start is null ? "" : Explicit(s.Start))}:{(s.End is null ? "" : Explicit(s.End))}]",
        _ => SourceFormatter.Format(e),
    };
}
