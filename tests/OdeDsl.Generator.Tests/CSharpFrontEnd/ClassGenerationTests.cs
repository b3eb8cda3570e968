using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using OdeDsl.Language.Tests.Verification;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests.CSharpFrontEnd;

/// <summary>
/// [OdeModel] classes through the whole generator: the output compiles without a warning, the generated forward and
/// Vjp equal those of the same model written as a .ode file (1e-12, float64, same parameters), and the class's own
/// Dynamics, run by ReferenceForward under autograd, equals the generated forward and Vjp.
/// </summary>
/// <remarks>Constructing a model draws from TorchSharp's global generator, which seeded tests elsewhere rely on.</remarks>
[Collection(GlobalGenerator.Collection)]
public sealed class ClassGenerationTests
{
    private static readonly Lazy<Assembly> Generated = new(() =>
    {
        var sources = new[]
        {
            ("/src/Lorenz.cs", CSharpModelSources.Lorenz),
            ("/src/VanDerPol.cs", CSharpModelSources.VanDerPol),
            ("/src/Spiral.cs", CSharpModelSources.Spiral),
            ("/src/HybridPendulum.cs", CSharpModelSources.HybridPendulum),
        };
        var (output, diagnostics, _) = GeneratorHarness.RunOnCSharp(sources);
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        var context = new AssemblyLoadContext("OdeDsl.Generated.Classes", isCollectible: true);
        return context.LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
    });

    [Theory]
    [InlineData("VanDerPol")]
    [InlineData("Spiral")]
    [InlineData("HybridPendulum")]
    public void ClassModelFileMatchesItsSnapshot(string name)
    {
        string text = (string)typeof(CSharpModelSources).GetField(name)!.GetValue(null)!;
        var (output, diagnostics, result) = GeneratorHarness.RunOnCSharp(new[] { ($"/src/{name}.cs", text) });

        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        GeneratedSourceResult model = result.Results.Single().GeneratedSources.First(source => source.HintName.EndsWith("." + name + ".g.cs"));
        Snapshot.Verify(model.SourceText.ToString(), "cs", parameter: name);
    }

    [Fact]
    public void ClassNestedInPartialTypesIsGeneratedInsideThem()
    {
        string source = CSharpModelSources.Usings + """
            namespace Tests.Nested;

            public static partial class Physics
            {
                internal partial record struct Systems
                {
                    [OdeModel]
                    internal partial class Decay
                    {
                        [State] Tensor x;
                        [Param(0.5)] Tensor k;
                        void Dynamics(Tensor t) { dx = -k * x; }
                    }
                }
            }
            """;
        var (output, diagnostics, result) = GeneratorHarness.RunOnCSharp(new[] { ("/src/Decay.cs", source) });

        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        Assert.Contains("Tests.Nested.Physics.Systems.Decay.g.cs", result.Results.Single().GeneratedSources.Select(s => s.HintName));
        var context = new AssemblyLoadContext("OdeDsl.Generated.Nested", isCollectible: true);
        Type type = context.LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output))).GetType("Tests.Nested.Physics+Systems+Decay", throwOnError: true)!;
        var model = (OdeModel)Activator.CreateInstance(type)!;
        model.to(float64);
        Tensor y = torch.tensor(new[] { 1.0, -2.0, 3.0 }).reshape(3, 1);
        CompiledModels.AssertClose(-0.5 * y, model.forward(torch.tensor(0.0, dtype: float64), y), "forward", 1e-15);
    }

    public static TheoryData<string> Models => new() { "Examples.Physics.Lorenz", "Examples.Physics.VanDerPol", "Examples.Neural.Spiral", "Examples.Hybrid.HybridPendulum" };

    private static OdeModel CreateClassModel(string typeName, OdeModel copyFrom)
    {
        Type type = Generated.Value.GetType(typeName, throwOnError: true)!;
        ConstructorInfo constructor = CompiledModels.DefaultDtypeConstructor(type);
        var model = (OdeModel)constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
        model.to(float64);
        var source = copyFrom.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
                parameter.copy_(source[name]);
        }
        return model;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void GeneratedForwardAndVjpEqualTheOdeFilesModel(string typeName)
    {
        OdeModel fromOde = CompiledModels.CreateRandomised(typeName);
        OdeModel fromClass = CreateClassModel(typeName, fromOde);
        Assert.Equal(fromOde.named_parameters().Select(p => p.name), fromClass.named_parameters().Select(p => p.name));
        int columns = fromOde.States.Sum(state => state.Shape.Aggregate(1, (a, b) => a * b));
        Tensor y = CompiledModels.RandomState(typeName, columns);
        Tensor t = CompiledModels.RandomTimes();
        Tensor a = torch.randn(y.shape, dtype: float64, generator: new torch.Generator(5));

        CompiledModels.AssertClose(fromOde.forward(t, y), fromClass.forward(t, y), "forward", 1e-12);
        VjpResult expected = ((IHasVjp)fromOde).Vjp(t, y, a);
        VjpResult actual = ((IHasVjp)fromClass).Vjp(t, y, a);
        CompiledModels.AssertClose(expected.State, actual.State, "aᵀ∂f/∂y", 1e-12);
        for (int i = 0; i < expected.Parameters.Count; i++)
            CompiledModels.AssertClose(expected.Parameters[i], actual.Parameters[i], $"aᵀ∂f/∂θ{i}", 1e-12);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void HandWrittenDynamicsUnderAutogradEqualsGeneratedForwardAndVjp(string typeName)
    {
        OdeModel model = CreateClassModel(typeName, CompiledModels.CreateRandomised(typeName));
        int columns = model.States.Sum(state => state.Shape.Aggregate(1, (a, b) => a * b));
        Tensor y = CompiledModels.RandomState(typeName, columns).requires_grad_(true);
        Tensor t = CompiledModels.RandomTimes();
        Tensor a = torch.randn(y.shape, dtype: float64, generator: new torch.Generator(5));
        MethodInfo reference = model.GetType().GetMethod("ReferenceForward")!;

        var handWritten = (Tensor)reference.Invoke(model, new object[] { t, y })!;
        CompiledModels.AssertClose(model.forward(t, y).detach(), handWritten.detach(), "ReferenceForward", 1e-12);

        Tensor[] inputs = new[] { y }.Concat(model.parameters()).ToArray();
        Tensor[] gradients = torch.autograd.grad(new[] { (handWritten * a).sum() }, inputs, allow_unused: true).ToArray();
        VjpResult vjp = ((IHasVjp)model).Vjp(t, y.detach(), a);
        CompiledModels.AssertClose(gradients[0], vjp.State, "aᵀ∂f/∂y", 1e-12);
        for (int i = 0; i < vjp.Parameters.Count; i++)
            CompiledModels.AssertClose(gradients[i + 1], vjp.Parameters[i], $"aᵀ∂f/∂θ{i}", 1e-12);
    }
}
