using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace OdeDsl.Generator.Tests.CSharpFrontEnd;

/// <summary>The [OdeModel] branch of the pipeline recomputes only what an edit touches.</summary>
public sealed class ClassCachingTests
{
    private const string Other = "namespace Consumer { internal static class Helper { public static int Answer() => 42; } }";

    private static readonly string Lorenz = CSharpModelSources.Lorenz.Replace(
        "    void Dynamics(Tensor t)",
        "    public int Describe() => 1;\n\n    void Dynamics(Tensor t)");

    private static SyntaxTree Tree(string text, string path) =>
        CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path);

    private static GeneratorDriverRunResult RunTwice(string lorenzAfter, string otherAfter, out GeneratorDriver driver)
    {
        SyntaxTree lorenz = Tree(Lorenz, "/src/Lorenz.cs");
        SyntaxTree other = Tree(Other, "/src/Other.cs");
        Compilation compilation = GeneratorHarness.EmptyCompilation().AddSyntaxTrees(lorenz, other);
        driver = GeneratorHarness.CreateDriver(System.Array.Empty<AdditionalText>()).RunGenerators(compilation);
        Compilation edited = compilation
            .ReplaceSyntaxTree(lorenz, Tree(lorenzAfter, "/src/Lorenz.cs"))
            .ReplaceSyntaxTree(other, Tree(otherAfter, "/src/Other.cs"));
        driver = driver.RunGenerators(edited);
        return driver.GetRunResult();
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriverRunResult result, string step) =>
        result.Results.Single().TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(run => run.Outputs).Select(output => output.Reason)
            : Enumerable.Empty<IncrementalStepRunReason>();

    [Fact]
    public void EditingAnotherFileDoesNotRegenerate()
    {
        GeneratorDriverRunResult result = RunTwice(Lorenz, Other.Replace("42", "43"), out _);

        // Roslyn may read the class again (the compilation changed), but it reads into an equal item.
        Assert.NotEmpty(Reasons(result, TrackingNames.ModelClasses));
        Assert.All(Reasons(result, TrackingNames.ModelClasses), reason => Assert.Contains(reason, new[] { IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached }));
        Assert.NotEmpty(Reasons(result, TrackingNames.ClassSources));
        Assert.All(Reasons(result, TrackingNames.ClassSources), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void EditingAnotherMethodOfTheClassDoesNotRegenerate()
    {
        string edited = Lorenz.Replace("Describe() => 1;", "Describe() => 2;");
        Assert.NotEqual(Lorenz, edited);

        GeneratorDriverRunResult result = RunTwice(edited, Other, out _);

        // The class is read again (its syntax changed), but what it reads into is equal: nothing downstream runs.
        Assert.All(Reasons(result, TrackingNames.ModelClasses), reason => Assert.Contains(reason, new[] { IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached }));
        Assert.NotEmpty(Reasons(result, TrackingNames.ClassSources));
        Assert.All(Reasons(result, TrackingNames.ClassSources), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void EditingDynamicsRegenerates()
    {
        string edited = Lorenz.Replace("dz = x * y - beta * z;", "dz = x * y - beta * z * z;");

        GeneratorDriverRunResult result = RunTwice(edited, Other, out GeneratorDriver driver);

        Assert.NotEmpty(Reasons(result, TrackingNames.ClassSources));
        Assert.All(Reasons(result, TrackingNames.ClassSources), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        string forward = driver.GetRunResult().Results.Single().GeneratedSources.Single(source => source.HintName == "Examples.Physics.Lorenz.g.cs").SourceText.ToString();
        Assert.Contains("dz/dt = x * y - beta * z * z;", forward);
    }
}
