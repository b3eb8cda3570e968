using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OdeDsl.Language.Tests.Verification;
using Xunit;

namespace OdeDsl.Generator.Tests;

/// <summary>The generated C# for each spec model: a baseline per file, and it compiles without a single warning.</summary>
public sealed class GeneratorOutputTests
{
    [Theory]
    [InlineData("lorenz.ode", "Examples.Physics.Lorenz.g.cs")]
    [InlineData("vanderpol.ode", "Examples.Physics.VanDerPol.g.cs")]
    [InlineData("robertson.ode", "Examples.Chemistry.Robertson.g.cs")]
    [InlineData("spiral.ode", "Examples.Neural.Spiral.g.cs")]
    [InlineData("mlp_time.ode", "Examples.Neural.TimeMlp.g.cs")]
    [InlineData("cnf2d.ode", "Examples.Flows.Cnf2d.g.cs")]
    [InlineData("damped_pendulum.ode", "Examples.Hybrid.HybridPendulum.g.cs")]
    public void SpecModelGeneratesCompilingCode(string file, string hintName)
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File(file, GeneratorHarness.SpecModel(file)));

        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        GeneratedSourceResult[] sources = result.Results.Single().GeneratedSources.ToArray();
        string[] derived = { ".Vjp.g.cs", ".Jvp.g.cs", ".Jacobian.g.cs", ".Divergence.g.cs" };
        Assert.Equal(derived.Select(suffix => hintName.Replace(".g.cs", suffix)).Prepend(hintName), sources.Select(source => source.HintName));
        Snapshot.Verify(sources[0].SourceText.ToString(), "cs", parameter: file.Replace(".ode", ""));
        Snapshot.Verify(sources[1].SourceText.ToString(), "cs", parameter: file.Replace(".ode", "") + ".Vjp");
        Snapshot.Verify(sources[2].SourceText.ToString(), "cs", parameter: file.Replace(".ode", "") + ".Jvp");
        Snapshot.Verify(sources[3].SourceText.ToString(), "cs", parameter: file.Replace(".ode", "") + ".Jacobian");
        Snapshot.Verify(sources[4].SourceText.ToString(), "cs", parameter: file.Replace(".ode", "") + ".Divergence");
    }

    [Fact]
    public void AllSpecModelsCompileTogether()
    {
        string[] files = { "lorenz.ode", "vanderpol.ode", "robertson.ode", "spiral.ode", "mlp_time.ode", "cnf2d.ode", "damped_pendulum.ode" };
        var (output, diagnostics, result) = GeneratorHarness.Run(files.Select(file => GeneratorHarness.File(file, GeneratorHarness.SpecModel(file))).ToArray());

        Assert.Empty(diagnostics);
        Assert.Equal(5 * files.Length, result.Results.Single().GeneratedSources.Length);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    [Fact]
    public void LineDirectivesMapStatementsToTheirOdeLines()
    {
        var (output, _, _) = GeneratorHarness.Run(GeneratorHarness.File("lorenz.ode", GeneratorHarness.SpecModel("lorenz.ode")));
        SyntaxTree tree = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("Lorenz.g.cs", System.StringComparison.Ordinal));

        foreach ((string local, int odeLine) in new[] { ("dx", 10), ("dy", 11), ("dz", 12) })
        {
            VariableDeclaratorSyntax declarator = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>().Single(d => d.Identifier.Text == local);
            FileLinePositionSpan mapped = tree.GetMappedLineSpan(declarator.Span);
            Assert.Equal("/models/lorenz.ode", mapped.Path);
            Assert.Equal(odeLine, mapped.StartLinePosition.Line + 1);
        }

        // Scaffolding after the statements is hidden, and #line default restores the generated file's own lines.
        ReturnStatementSyntax ret = tree.GetRoot().DescendantNodes().OfType<ReturnStatementSyntax>().Single();
        Assert.Equal(LineVisibility.Hidden, tree.GetLineVisibility(ret.SpanStart));
        PropertyDeclarationSyntax states = tree.GetRoot().DescendantNodes().OfType<PropertyDeclarationSyntax>().First();
        Assert.False(tree.GetMappedLineSpan(states.Span).HasMappedPath);
    }

    [Fact]
    public void DiagnosticsAreLocatedInTheOdeFile()
    {
        var (_, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("bad.ode", "model Bad {\n    state x;\n    dx/dt = sigmaa * x;\n}\n"));

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("ODE0101", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/models/bad.ode", span.Path);
        Assert.Equal((2, 12), (span.StartLinePosition.Line, span.StartLinePosition.Character)); // line 3, column 13
        Assert.StartsWith("/models/bad.ode(3,13): error ODE0101", diagnostic.ToString());
    }

    [Fact]
    public void EveryTensorConstructGeneratesCompilingCode()
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("tensors.ode", TensorModels.Source));

        Assert.Empty(diagnostics);
        Assert.Equal(5 * TensorModels.TypeNames.Length, result.Results.Single().GeneratedSources.Length);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    [Fact]
    public void FlowIsAnIFlowAndAModelIsNot()
    {
        var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("cnf2d.ode", GeneratorHarness.SpecModel("cnf2d.ode")),
            GeneratorHarness.File("decay.ode", "model Decay { state x; param k = 0.5; dx/dt = -k * x; }"));

        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        INamedTypeSymbol flow = output.GetTypeByMetadataName("OdeDsl.IFlow")!;
        Assert.Contains(flow, output.GetTypeByMetadataName("Examples.Flows.Cnf2d")!.AllInterfaces, SymbolEqualityComparer.Default);
        Assert.DoesNotContain(flow, output.GetTypeByMetadataName("Consumer.Decay")!.AllInterfaces, SymbolEqualityComparer.Default);
    }

    [Fact]
    public void FilesWithoutNamespaceUseTheRootNamespace()
    {
        var (output, _, result) = GeneratorHarness.Run(GeneratorHarness.File("decay.ode", "model Decay { state x; param k = 0.5; dx/dt = -k * x; }"));

        Assert.Equal(new[] { "Consumer.Decay.g.cs", "Consumer.Decay.Vjp.g.cs", "Consumer.Decay.Jvp.g.cs", "Consumer.Decay.Jacobian.g.cs", "Consumer.Decay.Divergence.g.cs" }, result.Results.Single().GeneratedSources.Select(source => source.HintName));
        Assert.NotNull(output.GetTypeByMetadataName("Consumer.Decay"));
    }
}
