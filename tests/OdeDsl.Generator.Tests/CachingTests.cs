using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace OdeDsl.Generator.Tests;

/// <summary>The incremental pipeline recomputes only what an edit touches.</summary>
public sealed class CachingTests
{
    private static readonly string Lorenz = GeneratorHarness.SpecModel("lorenz.ode");

    private static GeneratorDriverRunResult RunTwice(string before, string after, out GeneratorDriver driver)
    {
        var first = GeneratorHarness.File("lorenz.ode", before);
        driver = GeneratorHarness.CreateDriver(new[] { first }).RunGenerators(GeneratorHarness.EmptyCompilation());
        driver = driver.ReplaceAdditionalText(first, GeneratorHarness.File("lorenz.ode", after)).RunGenerators(GeneratorHarness.EmptyCompilation());
        return driver.GetRunResult();
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriverRunResult result, string step) =>
        result.Results.Single().TrackedSteps[step].SelectMany(run => run.Outputs).Select(output => output.Reason);

    [Fact]
    public void RerunWithoutChangesIsCachedEverywhere()
    {
        Compilation compilation = GeneratorHarness.EmptyCompilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(new[] { GeneratorHarness.File("lorenz.ode", Lorenz) }).RunGenerators(compilation);
        GeneratorDriverRunResult result = driver.RunGenerators(compilation).GetRunResult();

        foreach (string step in new[] { TrackingNames.OdeFiles, TrackingNames.Compilations, TrackingNames.Models, TrackingNames.Sources, TrackingNames.Diagnostics })
            Assert.All(Reasons(result, step), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        Assert.All(result.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(run => run.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void WhitespaceAndCommentEditInsideALineLeavesSourceUnchanged()
    {
        string edited = Lorenz.Replace("dy/dt = x * (rho - z) - y;", "dy/dt   =   x*(rho-z) - y;   // edited");
        Assert.NotEqual(Lorenz, edited);

        GeneratorDriverRunResult result = RunTwice(Lorenz, edited, out _);

        // The file and its compilation (whose diagnostics carry columns) change; the model spec does not, so the
        // emitter does not run and the source output is not touched.
        Assert.All(Reasons(result, TrackingNames.OdeFiles), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.All(Reasons(result, TrackingNames.Models), reason => Assert.Contains(reason, new[] { IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached }));
        Assert.All(Reasons(result, TrackingNames.Sources), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void ChangedEquationRegeneratesTheSource()
    {
        string edited = Lorenz.Replace("dz/dt = x * y - beta * z;", "dz/dt = x * y - beta * z * z;");

        GeneratorDriverRunResult result = RunTwice(Lorenz, edited, out GeneratorDriver driver);

        Assert.All(Reasons(result, TrackingNames.Models), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.All(Reasons(result, TrackingNames.Sources), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        // Every file computing from the statement quotes the edit: forward, and the Vjp, Jvp and Jacobian blocks that
        // differentiate it (Lorenz's Divergence is its Jacobian's trace and quotes nothing).
        Assert.All(driver.GetRunResult().Results.Single().GeneratedSources.Where(source => !source.HintName.EndsWith(".Divergence.g.cs", System.StringComparison.Ordinal)),
            source => Assert.Contains("dz/dt = x * y - beta * z * z;", source.SourceText.ToString()));
    }
}
