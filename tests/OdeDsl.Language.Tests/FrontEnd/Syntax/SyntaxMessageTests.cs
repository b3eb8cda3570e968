using System.Linq;
using OdeDsl.Language.Semantics;
using Xunit;

namespace OdeDsl.Language.Tests.Syntax;

/// <summary>Syntax errors say what was meant: one diagnostic, at the mistake, in words a user recognises.</summary>
public sealed class SyntaxMessageTests
{
    private static OdeDiagnostic Single(string members)
    {
        FrontEndResult result = OdeFrontEnd.Analyze("m.ode", "model M {\n" + members + "\n}\n");
        return Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void ParamWithoutValueAsksForAValueOrAShape()
    {
        OdeDiagnostic diagnostic = Single("    state x;\n    param k;\n    dx/dt = -k * x;");
        Assert.Equal("ODE0001", diagnostic.Id);
        Assert.Equal((3, 12), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Contains("a value or a shape", diagnostic.Message);
        Assert.Contains("'param k = 1.0;'", diagnostic.Message);
    }

    [Fact]
    public void ParamWithoutValueAtTheEndOfTheLineIsReportedThere()
    {
        OdeDiagnostic diagnostic = Single("    state x;\n    param k\n    dx/dt = -k * x;");
        Assert.Equal("ODE0001", diagnostic.Id);
        Assert.Equal((3, 12), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.StartsWith("Unexpected end of line; expected a value or a shape after 'param k'", diagnostic.Message);
    }

    [Fact]
    public void AssignmentToAStateIsNotADerivative()
    {
        OdeDiagnostic diagnostic = Single("    state x;\n    x = -x;");
        Assert.Equal("ODE0011", diagnostic.Id);
        Assert.Equal((3, 5), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Contains("'dx/dt = …;'", diagnostic.Message);
    }

    [Fact]
    public void DoubleStarSuggestsCaret()
    {
        OdeDiagnostic diagnostic = Single("    state x;\n    dx/dt = -x**3;");
        Assert.Equal("ODE0001", diagnostic.Id);
        Assert.Equal((3, 15), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Contains("'x^3'", diagnostic.Message);
    }

    [Fact]
    public void IncompleteExpressionIsOneErrorNotAnotherOnTheNextLine()
    {
        OdeDiagnostic diagnostic = Single("    state x, v;\n    dx/dt = v +;\n    dv/dt = -x;");
        Assert.Equal("ODE0001", diagnostic.Id);
        Assert.Equal(3, diagnostic.Span.Line);
    }

    [Fact]
    public void ConstAsADimensionSaysWhyNot()
    {
        OdeDiagnostic diagnostic = Single("    state x[2];\n    const n = 2;\n    param W[n, n] ~ normal(0, 0.1);\n    dx/dt = W @ x;");
        Assert.Equal("ODE0205", diagnostic.Id);
        Assert.Equal((4, 13), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Contains("const 'n', which can be overridden", diagnostic.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("// a model, one day\n/* or two */\n")]
    public void EmptyOrCommentOnlyFileIsAWarning(string text)
    {
        FrontEndResult result = OdeFrontEnd.Analyze("empty.ode", text);
        OdeDiagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("ODE0014", diagnostic.Id);
        Assert.Equal(OdeSeverity.Warning, diagnostic.Severity);
        Assert.Empty(result.Models);
    }

    [Fact]
    public void NamespaceWithoutModelIsStillAnError()
    {
        FrontEndResult result = OdeFrontEnd.Analyze("ns.ode", "namespace A.B;\n");
        Assert.Equal("ODE0010", Assert.Single(result.Diagnostics).Id);
    }
}
