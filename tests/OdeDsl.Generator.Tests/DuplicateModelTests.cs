using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using OdeDsl.Generator.Tests.CSharpFrontEnd;
using Xunit;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// One model name declared in two places once made Roslyn reject the generator's output (CS8785, hint names must be
/// unique) and every model of the project disappeared. Now the later declaration gets ODE0116 and the rest generate.
/// </summary>
public sealed class DuplicateModelTests
{
    private const string Model = "namespace MyBad;\nmodel N {\n    state x;\n    dx/dt = -x;\n}\n";
    private static readonly GeneratorHarness.InMemoryText GoodFile = GeneratorHarness.File("lorenz.ode", GeneratorHarness.SpecModel("lorenz.ode"));

    [Fact]
    public void SameModelInTwoFilesIsODE0116OnTheSecondAndTheOthersStillGenerate()
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("a.ode", Model), GeneratorHarness.File("b.ode", Model), GoodFile);

        Assert.Null(result.Results.Single().Exception);
        Diagnostic duplicate = Assert.Single(diagnostics);
        Assert.Equal("ODE0116", duplicate.Id);
        Assert.Equal(DiagnosticSeverity.Error, duplicate.Severity);
        FileLinePositionSpan span = duplicate.Location.GetLineSpan();
        Assert.Equal("/models/b.ode", span.Path);
        Assert.Equal(new LinePosition(1, 6), span.StartLinePosition);
        Assert.Contains("/models/a.ode at line 2, column 7", duplicate.GetMessage());
        string[] hints = result.Results.Single().GeneratedSources.Select(source => source.HintName).ToArray();
        Assert.Contains("MyBad.N.g.cs", hints);
        Assert.Contains("Examples.Physics.Lorenz.g.cs", hints);
        Assert.Equal(hints.Length, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    [Fact]
    public void NamesDifferingOnlyInCaseAreODE0116()
    {
        // Roslyn compares generated file names ignoring case: 'MyBad.N.g.cs' and 'MyBad.n.g.cs' are one name.
        var (_, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("a.ode", Model), GeneratorHarness.File("b.ode", Model.Replace("model N", "model n")), GoodFile);

        Assert.Null(result.Results.Single().Exception);
        Diagnostic duplicate = Assert.Single(diagnostics);
        Assert.Equal("ODE0116", duplicate.Id);
        Assert.Contains("differs only in case", duplicate.GetMessage());
        Assert.Contains(result.Results.Single().GeneratedSources, source => source.HintName == "Examples.Physics.Lorenz.g.cs");
    }

    [Fact]
    public void NamesDifferingOnlyInCaseInOneFileAreODE0116OnTheSecond()
    {
        string text = "namespace MyBad;\nmodel N { state x; dx/dt = -x; }\nmodel n { state y; dy/dt = -y; }\n";
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("a.ode", text));

        Assert.Null(result.Results.Single().Exception);
        Diagnostic duplicate = Assert.Single(diagnostics);
        Assert.Equal("ODE0116", duplicate.Id);
        Assert.Equal(new LinePosition(2, 6), duplicate.Location.GetLineSpan().StartLinePosition);
        Assert.Contains(result.Results.Single().GeneratedSources, source => source.HintName == "MyBad.N.g.cs");
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    [Fact]
    public void OdeModelAndOdeModelClassOfTheSameNameAreODE0116()
    {
        var (_, diagnostics, result) = GeneratorHarness.RunOnCSharp(new[] { ("/src/Lorenz.cs", CSharpModelSources.Lorenz) }, GoodFile);

        Assert.Null(result.Results.Single().Exception);
        Diagnostic duplicate = Assert.Single(diagnostics, d => d.Id.StartsWith("ODE", StringComparison.Ordinal));
        Assert.Equal("ODE0116", duplicate.Id);
        // "/models/lorenz.ode" sorts before "/src/Lorenz.cs": the class is the later declaration.
        Assert.Equal("/src/Lorenz.cs", duplicate.Location.GetLineSpan().Path);
        Assert.Single(result.Results.Single().GeneratedSources, source => source.HintName == "Examples.Physics.Lorenz.g.cs");
    }
}
