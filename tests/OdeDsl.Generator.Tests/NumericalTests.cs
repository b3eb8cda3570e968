using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using OdeDsl;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// The generated forward() equals a hand-written TorchSharp implementation of the same equations, in float64, on
/// random states: the generated code is compiled in memory, loaded into its own load context and called.
/// </summary>
public sealed class NumericalTests
{
    private static readonly Lazy<Assembly> Generated = new(() =>
    {
        var (output, diagnostics, _) = GeneratorHarness.Run(
            GeneratorHarness.File("lorenz.ode", GeneratorHarness.SpecModel("lorenz.ode")),
            GeneratorHarness.File("vanderpol.ode", GeneratorHarness.SpecModel("vanderpol.ode")),
            GeneratorHarness.File("robertson.ode", GeneratorHarness.SpecModel("robertson.ode")));
        Assert.Empty(diagnostics);
        var context = new AssemblyLoadContext("OdeDsl.Generated", isCollectible: true);
        return context.LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
    });

    private static OdeModel Create(string typeName, params object[] arguments)
    {
        Type type = Generated.Value.GetType(typeName, throwOnError: true)!;
        ConstructorInfo constructor = type.GetConstructors().Single();
        object?[] values = constructor.GetParameters().Select((p, i) => i < arguments.Length ? arguments[i] : p.DefaultValue).ToArray();
        var model = (OdeModel)constructor.Invoke(values);
        model.to(float64);
        return model;
    }

    private static Tensor RandomState(int columns, double scale = 10.0)
    {
        var generator = new torch.Generator(1234);
        return (torch.rand(64, columns, dtype: float64, generator: generator) - 0.5) * scale;
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(ScalarType.Float64, actual.dtype);
        double error = (expected - actual).abs().max().item<double>();
        double size = expected.abs().max().item<double>();
        Assert.True(error <= 1e-12 * Math.Max(1.0, size), $"max |difference| {error} (max |value| {size})");
    }

    private static double Value(OdeModel model, string parameter) => model.get_parameter(parameter)!.item<double>();

    [Fact]
    public void LorenzMatchesHandWrittenForward()
    {
        using var scope = NewDisposeScope();
        OdeModel model = Create("Examples.Physics.Lorenz");
        Tensor y = RandomState(3);
        Tensor x = y[.., 0], yy = y[.., 1], z = y[.., 2];
        // The parameters were created in float32 (TorchSharp's default) and widened: compare with their actual values.
        double sigma = Value(model, "sigma"), rho = Value(model, "rho"), beta = Value(model, "beta");
        Assert.Equal(8.0 / 3.0, beta, 6);
        Tensor expected = stack(new[] { sigma * (yy - x), x * (rho - z) - yy, x * yy - beta * z }, 1);

        AssertClose(expected, model.forward(tensor(0.0), y));
        Assert.Equal(new[] { "x", "y", "z" }, model.States.Select(s => s.Name));
        Assert.Equal(new[] { "sigma", "rho", "beta" }, model.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void VanDerPolMatchesHandWrittenForwardWithDefaultAndOverriddenMu()
    {
        using var scope = NewDisposeScope();
        Tensor y = RandomState(2, scale: 4.0);
        Tensor x = y[.., 0], v = y[.., 1];
        foreach (double mu in new[] { 1.0, 1000.0 })
        {
            OdeModel model = mu == 1.0 ? Create("Examples.Physics.VanDerPol") : Create("Examples.Physics.VanDerPol", mu);
            Tensor expected = stack(new[] { v, mu * (1 - x * x) * v - x }, 1);
            AssertClose(expected, model.forward(tensor(0.0), y));
            Assert.Empty(model.parameters());
        }
    }

    [Fact]
    public void RobertsonMatchesHandWrittenForward()
    {
        using var scope = NewDisposeScope();
        OdeModel model = Create("Examples.Chemistry.Robertson");
        Tensor y = RandomState(3, scale: 1.0);
        Tensor y1 = y[.., 0], y2 = y[.., 1], y3 = y[.., 2];
        double k1 = Value(model, "k1"), k2 = Value(model, "k2"), k3 = Value(model, "k3");
        Tensor r1 = k1 * y1, r2 = k2 * (y2 * y2), r3 = k3 * y2 * y3;
        Tensor expected = stack(new[] { -r1 + r3, r1 - r2 - r3, r2 }, 1);

        AssertClose(expected, model.forward(tensor(0.0), y));
    }

    [Fact]
    public void ParametersReceiveGradientsThroughForward()
    {
        OdeModel model = Create("Examples.Physics.Lorenz");
        Tensor y = RandomState(3);
        model.forward(tensor(0.0), y).sum().backward();
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.grad is not null && parameter.grad.abs().item<double>() > 0, $"no gradient for {name}");
    }
}
