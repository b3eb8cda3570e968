using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using OdeDsl.Language;
using OdeDsl.Language.Ir;
using Xunit;

namespace OdeDsl.Generator.Tests;

/// <summary>Bad input never crashes the generator: it becomes diagnostics, and the other files still generate.</summary>
public sealed class RobustnessTests
{
    private static readonly GeneratorHarness.InMemoryText GoodFile = GeneratorHarness.File("lorenz.ode", GeneratorHarness.SpecModel("lorenz.ode"));

    [Theory]
    [InlineData("model {")]
    [InlineData("\0\u0001\u00ff binary \uFFFD garbage }}}} ;;;")]
    [InlineData("model M { state x; dx/dt = ((((((((((x)))))))))); } model M { }")]
    [InlineData("")]
    public void GarbageGivesDiagnosticsAndOtherFilesStillGenerate(string garbage)
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("garbage.ode", garbage), GoodFile);

        Assert.Contains(result.Results.Single().GeneratedSources, source => source.HintName == "Examples.Physics.Lorenz.g.cs");
        Assert.Null(result.Results.Single().Exception);
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.StartsWith("ODE", d.Id));
        Assert.DoesNotContain(diagnostics, d => d.Id == "ODE9001");
        Assert.DoesNotContain(GeneratorHarness.CompileErrorsAndWarnings(output), d => !d.Id.StartsWith("ODE", StringComparison.Ordinal));
    }

    [Fact]
    public void DeeplyNestedInputDoesNotCrash()
    {
        string deep = "model Deep { state x; dx/dt = " + new string('(', 100_000) + "x" + new string(')', 100_000) + "; }";
        var (_, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("deep.ode", deep), GoodFile);

        Assert.Null(result.Results.Single().Exception);
        Assert.Equal(new[] { "Examples.Physics.Lorenz.g.cs", "Examples.Physics.Lorenz.Vjp.g.cs", "Examples.Physics.Lorenz.Jvp.g.cs", "Examples.Physics.Lorenz.Jacobian.g.cs", "Examples.Physics.Lorenz.Divergence.g.cs" }, result.Results.Single().GeneratedSources.Select(source => source.HintName));
        Assert.NotEmpty(diagnostics);
    }

    [Fact]
    public void EmitterFailureBecomesInternalErrorDiagnostic()
    {
        // The front end never produces such a name; a broken IR must still not crash anything.
        IrModel broken = new(
            "N", "Bad*/Name", IrModelKind.Model, "/models/bad.ode",
            EquatableArray<IrState>.Empty, EquatableArray<IrParameter>.Empty, EquatableArray<IrLayer>.Empty, EquatableArray<IrConstant>.Empty,
            EquatableArray<string>.Empty,
            EquatableArray.Create(new IrKernel(IrKernelKind.Forward, EquatableArray<IrNode>.Empty, EquatableArray<IrStatement>.Empty,
                EquatableArray<IrOutput>.Empty, EquatableArray<IrAnnotation>.Empty)));

        var sources = OdeCompiler.Emit(broken, out OdeDiagnostic? failure);

        Assert.Empty(sources);
        Assert.NotNull(failure);
        Assert.Equal("ODE9001", failure!.Id);
        Diagnostic roslyn = DiagnosticMapper.ToRoslyn(failure);
        Assert.Equal(DiagnosticSeverity.Error, roslyn.Severity);
        Assert.Equal("/models/bad.ode", roslyn.Location.GetLineSpan().Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("// to be written\n")]
    public void EmptyFileIsAWarningNotAnError(string text)
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("empty.ode", text), GoodFile);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("ODE0014", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.DefaultSeverity); // the harness compiles with warnings as errors
        Assert.Equal("/models/empty.ode", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(5, result.Results.Single().GeneratedSources.Length);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    [Fact]
    public void EveryDiagnosticLinksToItsHelpPage()
    {
        var (_, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("bad.ode", "model M { state x; dx/dt = -k * x; }"), GeneratorHarness.File("empty.ode", ""));

        Assert.NotEmpty(diagnostics);
        string docs = System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "docs", "diagnostics");
        Assert.All(diagnostics, diagnostic =>
        {
            Assert.Equal(DiagnosticCatalog.HelpLinkBase + diagnostic.Id + ".md", diagnostic.Descriptor.HelpLinkUri);
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(docs, diagnostic.Id + ".md")), "no page for " + diagnostic.Id);
        });
    }
}
