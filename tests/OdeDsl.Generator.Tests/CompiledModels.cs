using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using OdeDsl;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// Every spec model, the tensor models and the edge-case models compiled once into one assembly, with random float64
/// parameters, states and times, for the tests that hold the generated derivatives to autograd and finite differences.
/// </summary>
internal static class CompiledModels
{
    public const double Tolerance = 1e-10;
    public const int Batch = 16;

    private static readonly string[] SpecFiles = { "lorenz.ode", "vanderpol.ode", "robertson.ode", "spiral.ode", "mlp_time.ode", "cnf2d.ode", "damped_pendulum.ode" };

    public static readonly Lazy<Assembly> Generated = new(() =>
    {
        var files = SpecFiles.Select(file => GeneratorHarness.File(file, GeneratorHarness.SpecModel(file)))
            .Append(GeneratorHarness.File("tensors.ode", TensorModels.Source))
            .Append(GeneratorHarness.File("edges.ode", VjpTestModels.Source)).ToArray();
        var (output, diagnostics, _) = GeneratorHarness.Run(files);
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        var context = new AssemblyLoadContext("OdeDsl.Generated.Models", isCollectible: true);
        return context.LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
    });

    public static IEnumerable<object[]> AllModels() => new[]
    {
        "Examples.Physics.Lorenz", "Examples.Physics.VanDerPol", "Examples.Chemistry.Robertson", "Examples.Neural.Spiral",
        "Examples.Neural.TimeMlp", "Examples.Flows.Cnf2d", "Examples.Hybrid.HybridPendulum",
    }.Concat(TensorModels.TypeNames).Concat(VjpTestModels.TypeNames).Select(name => new object[] { name });

    /// <summary>The generated constructor that creates parameters in the default dtype (the other one takes a dtype first).</summary>
    public static ConstructorInfo DefaultDtypeConstructor(Type type) =>
        type.GetConstructors().Single(c => c.GetParameters().All(p => p.ParameterType != typeof(torch.ScalarType?)));

    /// <summary>The generated constructor taking the parameters' dtype and device first.</summary>
    public static ConstructorInfo DtypeConstructor(Type type) =>
        type.GetConstructors().Single(c => c.GetParameters().FirstOrDefault()?.ParameterType == typeof(torch.ScalarType?));

    /// <summary>A float64 model with every parameter random (zero biases would hide mistakes).</summary>
    public static OdeModel CreateRandomised(string typeName, int seed = 99)
    {
        Type type = Generated.Value.GetType(typeName, throwOnError: true)!;
        ConstructorInfo constructor = CompiledModels.DefaultDtypeConstructor(type);
        var model = (OdeModel)constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
        model.to(float64);
        var generator = new torch.Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var (_, parameter) in model.named_parameters())
                parameter.copy_(torch.randn(parameter.shape, dtype: float64, generator: generator) * 0.5 + 0.1);
        }
        return model;
    }

    /// <summary>Random states; the Powers model needs positive bases.</summary>
    public static Tensor RandomState(string typeName, int columns, int seed = 1234)
    {
        var generator = new torch.Generator((ulong)seed);
        Tensor uniform = torch.rand(Batch, columns, dtype: float64, generator: generator);
        return typeName == "Edges.Powers" ? uniform + 0.5 : (uniform - 0.5) * 4.0;
    }

    public static Tensor RandomTimes() => torch.rand(Batch, dtype: float64, generator: new torch.Generator(77)) * 3.0;

    public static void AssertClose(Tensor expected, Tensor actual, string what, double tolerance = Tolerance)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", expected.shape)}]");
        Assert.Equal(ScalarType.Float64, actual.dtype);
        double error = (expected - actual).abs().max().item<double>();
        double size = expected.abs().max().item<double>();
        Assert.True(error <= tolerance * Math.Max(size, 1e-300), $"{what}: max |difference| {error} (max |value| {size})");
    }
}
