using System.Linq;
using Xunit;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// Text from a .ode file reaches C# only as validated identifiers and numbers: comments, strings, line breaks,
/// <c>*/</c> and directives in the input never reach the output, wherever they are put.
/// </summary>
public sealed class InjectionTests
{
    private const string Payload = "*/ #line 1 \"evil\" \n System.Environment.Exit(1); /*";

    [Fact]
    public void CommentsInTheModelNeverReachTheOutput()
    {
        string text = "namespace N; // " + Payload.Replace("\n", " ") + "\n/* " + Payload.Replace("*/", "* /") + " */\n" +
                      "model M {\n    state x; // " + Payload.Replace("\n", " ") + "\n    dx/dt = -x; /* evil */\n}\n";
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("m.ode", text));

        Assert.Empty(diagnostics);
        string generated = string.Join("\n", result.Results.Single().GeneratedSources.Select(source => source.SourceText.ToString()));
        Assert.DoesNotContain("evil", generated);
        Assert.DoesNotContain("Exit", generated);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    [Fact]
    public void HostilePathIsNeitherQuotedInLineDirectivesNorInComments()
    {
        string text = "namespace N;\nmodel M { state x; dx/dt = -x; }\n";
        var file = new GeneratorHarness.InMemoryText("/models/a\"b*/\n#line 1 \"evil.ode", text);
        var (output, _, result) = GeneratorHarness.Run(file);

        string generated = string.Join("\n", result.Results.Single().GeneratedSources.Select(source => source.SourceText.ToString()));
        Assert.DoesNotContain("#line (", generated);
        Assert.DoesNotContain("evil.ode\"", generated);
        Assert.DoesNotContain("*/", generated);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    [Fact]
    public void HostileIdentifiersAreRejectedByTheFrontEnd()
    {
        string text = "model M { state x; dx/dt = x\"*/ #line 1; }\n";
        var (_, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("m.ode", text));

        Assert.NotEmpty(diagnostics);
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void CSharpKeywordsAsNamesAreEscaped()
    {
        const string keywords = "namespace N;\nmodel K {\n    state int, base;\n    param new = 2.0;\n    const object = 3.0;\n" +
                                "    let this = new * int;\n    dint/dt = this - object;\n    dbase/dt = int;\n}\n";
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("k.ode", keywords));

        Assert.Empty(diagnostics);
        string generated = string.Join("\n", result.Results.Single().GeneratedSources.Select(source => source.SourceText.ToString()));
        Assert.Contains("var @int = ", generated);
        Assert.Contains("double @object = 3.0", generated);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }
}
