using System;
using System.Linq;
using System.Text;
using OdeDsl.Language.Semantics;
using OdeDsl.Language.Tests.Verification;
using Xunit;

namespace OdeDsl.Language.Tests.Syntax;

/// <summary>Any text analyzes without throwing: truncated models, garbage, absurd nesting.</summary>
public sealed class RobustnessTests
{
    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void EveryPrefixOfASpecModelAnalyzes(string model)
    {
        string text = SpecModels.Read(model);
        for (int length = 0; length <= text.Length; length++)
        {
            FrontEndResult result = OdeFrontEnd.Analyze(model + ".ode", text.Substring(0, length));
            if (length < text.Length && result.Diagnostics.Count == 0)
                Assert.NotEmpty(result.Models);
            foreach (OdeDiagnostic diagnostic in result.Diagnostics)
                AssertInside(diagnostic, length);
        }
    }

    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void EveryTokenDeletedAnalyzes(string model)
    {
        // Remove each space-separated word in turn: mid-file damage rather than truncation.
        string text = SpecModels.Read(model);
        string[] words = text.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            string damaged = string.Join(" ", words.Where((_, j) => j != i));
            FrontEndResult result = OdeFrontEnd.Analyze(model + ".ode", damaged);
            foreach (OdeDiagnostic diagnostic in result.Diagnostics)
                AssertInside(diagnostic, damaged.Length);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomBytesAnalyze(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[4000];
        random.NextBytes(bytes);
        string text = Encoding.Latin1.GetString(bytes) + "\uD800 \uDC00 😀";
        FrontEndResult result = OdeFrontEnd.Analyze("garbage.ode", text);
        Assert.NotEmpty(result.Diagnostics);
        Assert.True(result.Diagnostics.Count <= 101);
    }

    [Fact]
    public void RandomTokenSoupAnalyzes()
    {
        string[] pieces = { "model", "M", "{", "}", "state", "x", ";", "dx/dt", "=", "(", ")", "[", "]", "@", "^", "-", "+", "1e", ".5", "let", "layer", "linear(1, 2)", ",", ":", "~", "glorot", "t", "\n" };
        var random = new Random(42);
        for (int i = 0; i < 300; i++)
        {
            string text = string.Join(" ", Enumerable.Range(0, random.Next(1, 60)).Select(_ => pieces[random.Next(pieces.Length)]));
            FrontEndResult result = OdeFrontEnd.Analyze("soup.ode", text);
            Assert.True(result.Diagnostics.Count > 0 || result.Models.Count > 0, text);
        }
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("[", "]")]
    [InlineData("-", "")]
    [InlineData("x ^ ", "")]
    [InlineData("x + ", "")]
    [InlineData("sin(", ")")]
    public void DeepNestingIsADiagnostic(string open, string close)
    {
        const int depth = 20000;
        var body = new StringBuilder();
        for (int i = 0; i < depth; i++)
            body.Append(open);
        body.Append('x');
        for (int i = 0; i < depth; i++)
            body.Append(close);
        string text = "model M {\n    state x;\n    dx/dt = " + body + ";\n}\n";
        FrontEndResult result = OdeFrontEnd.Analyze("deep.ode", text);
        Assert.Contains(result.Diagnostics, d => d.Id is "ODE0009" or "ODE0201" or "ODE0207" or "ODE0208");
    }

    [Fact]
    public void ModeratelyDeepNestingStillBinds()
    {
        string text = "model M {\n    state x;\n    dx/dt = " + new string('(', 60) + "x" + new string(')', 60) + " + x - x - x - x;\n}\n";
        FrontEndResult result = OdeFrontEnd.Analyze("ok.ode", text);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void LineEndingsDoNotMoveColumns()
    {
        const string body = "model M {\r\n    state x;\r\n    dx/dt = -sigam * x;\r\n}\r\n";
        OdeDiagnostic crlf = Assert.Single(OdeFrontEnd.Analyze("a.ode", body).Diagnostics);
        OdeDiagnostic cr = Assert.Single(OdeFrontEnd.Analyze("a.ode", body.Replace("\r\n", "\r")).Diagnostics);
        OdeDiagnostic lf = Assert.Single(OdeFrontEnd.Analyze("a.ode", body.Replace("\r\n", "\n")).Diagnostics);
        Assert.Equal((3, 14), (crlf.Span.Line, crlf.Span.Column));
        Assert.Equal((3, 14), (cr.Span.Line, cr.Span.Column));
        Assert.Equal((3, 14), (lf.Span.Line, lf.Span.Column));
    }

    [Fact]
    public void ColumnsCountUtf16CodeUnits()
    {
        // The emoji in the comment is two UTF-16 code units, like Roslyn's columns.
        const string text = "model M { /* 😀 */ state x; dx/dt = y; }";
        OdeDiagnostic diagnostic = Assert.Single(OdeFrontEnd.Analyze("a.ode", text).Diagnostics);
        Assert.Equal(text.IndexOf("y;", StringComparison.Ordinal) + 1, diagnostic.Span.Column);
    }

    private static void AssertInside(OdeDiagnostic diagnostic, int length)
    {
        Assert.InRange(diagnostic.Span.Start, 0, length);
        Assert.InRange(diagnostic.Span.Start + diagnostic.Span.Length, 0, length);
        Assert.True(diagnostic.Span.Line >= 1 && diagnostic.Span.Column >= 1, diagnostic.ToString());
    }
}
