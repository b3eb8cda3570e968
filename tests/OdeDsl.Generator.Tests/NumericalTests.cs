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
/// The generated forward() equals a hand-written TorchSharp implementation of the same equations, in float64, on
/// random states and random weights, with one time for the batch and with one time per sample: the generated code
/// is compiled in memory, loaded into its own load context and called.
/// </summary>
// Constructing models draws from TorchSharp's global generator: classes that do share one collection, so that the
// seeding tests here never run beside them.
[Collection(GlobalGenerator.Collection)]
public sealed class NumericalTests
{
    private static readonly string[] SpecFiles = { "lorenz.ode", "vanderpol.ode", "robertson.ode", "spiral.ode", "mlp_time.ode", "cnf2d.ode", "damped_pendulum.ode" };

    private static readonly Lazy<Assembly> Generated = new(() =>
    {
        var files = SpecFiles.Select(file => GeneratorHarness.File(file, GeneratorHarness.SpecModel(file)))
            .Append(GeneratorHarness.File("tensors.ode", TensorModels.Source)).ToArray();
        var (output, diagnostics, _) = GeneratorHarness.Run(files);
        Assert.Empty(diagnostics);
        var context = new AssemblyLoadContext("OdeDsl.Generated", isCollectible: true);
        return context.LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
    });

    /// <summary>Constructs a generated model (parameters drawn from the global generator, in float32) without converting it.</summary>
    private static OdeModel Construct(string typeName, params object[] arguments)
    {
        Type type = Generated.Value.GetType(typeName, throwOnError: true)!;
        ConstructorInfo constructor = CompiledModels.DefaultDtypeConstructor(type);
        object?[] values = constructor.GetParameters().Select((p, i) => i < arguments.Length ? arguments[i] : p.DefaultValue).ToArray();
        return (OdeModel)constructor.Invoke(values);
    }

    private static OdeModel Create(string typeName, params object[] arguments)
    {
        OdeModel model = Construct(typeName, arguments);
        model.to(float64);
        return model;
    }

    /// <summary>A float64 model whose every parameter is random (zero-initialised biases would hide mistakes).</summary>
    private static OdeModel CreateRandomised(string typeName, params object[] arguments)
    {
        OdeModel model = Create(typeName, arguments);
        var generator = new torch.Generator(99);
        using (no_grad())
        {
            foreach (var (_, parameter) in model.named_parameters())
                parameter.copy_(torch.randn(parameter.shape, dtype: float64, generator: generator) * 0.5 + 0.1);
        }
        return model;
    }

    private static Tensor RandomState(int columns, double scale = 10.0, int batch = 64)
    {
        var generator = new torch.Generator(1234);
        return (torch.rand(batch, columns, dtype: float64, generator: generator) - 0.5) * scale;
    }

    /// <summary>One time per sample, all different.</summary>
    private static Tensor RandomTimes(int batch = 64) => torch.rand(batch, dtype: float64, generator: new torch.Generator(77)) * 3.0;

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(ScalarType.Float64, actual.dtype);
        double error = (expected - actual).abs().max().item<double>();
        double size = expected.abs().max().item<double>();
        Assert.True(error <= 1e-12 * Math.Max(1.0, size), $"max |difference| {error} (max |value| {size})");
    }

    /// <summary>Bit-for-bit equal values of the same shape.</summary>
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static double Value(OdeModel model, string parameter) => model.get_parameter(parameter)!.item<double>();

    private static Func<string, Tensor> Parameters(OdeModel model) => name => model.get_parameter(name)!;

    /// <summary>
    /// A model created in float64 holds 8/3 exactly; created in float32 and converted it holds 8/3 rounded to float32.
    /// Layers and random tensors are created in the dtype too.
    /// </summary>
    [Fact]
    public void ModelsCreatedInADtypeHoldTheirValuesExactly()
    {
        using var scope = NewDisposeScope();
        Type lorenz = Generated.Value.GetType("Examples.Physics.Lorenz", throwOnError: true)!;
        var exact = (OdeModel)CompiledModels.DtypeConstructor(lorenz).Invoke(new object?[] { ScalarType.Float64, null });
        var rounded = (OdeModel)CompiledModels.DefaultDtypeConstructor(lorenz).Invoke(Array.Empty<object>());
        rounded.to(float64);
        Tensor Beta(OdeModel model) => model.named_parameters().Single(p => p.name == "beta").parameter;
        Assert.Equal(ScalarType.Float64, Beta(exact).dtype);
        Assert.Equal(8.0 / 3.0, Beta(exact).item<double>());
        Assert.Equal((double)(float)(8.0 / 3.0), Beta(rounded).item<double>());

        Type layered = Generated.Value.GetType("Examples.Flows.Cnf2d", throwOnError: true)!;
        var flow = (OdeModel)CompiledModels.DtypeConstructor(layered).Invoke(new object?[] { ScalarType.Float64, null });
        Assert.All(flow.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
    }

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
    public void SpiralMatchesTorchdiffeqsNetwork()
    {
        using var scope = NewDisposeScope();
        OdeModel model = CreateRandomised("Examples.Neural.Spiral");
        var reference = new HandWrittenModels.Spiral(model);
        Tensor y = RandomState(2, scale: 4.0);

        AssertClose(reference.forward(tensor(0.0), y), model.forward(tensor(0.0), y));
        AssertClose(reference.forward(tensor(0.0), y), model.forward(RandomTimes(), y));
        Assert.Equal("y[2]", model.StateLayout);
        Assert.Equal(new[] { "W1", "b1", "W2", "b2" }, model.named_parameters().Select(p => p.name));
    }

    [Theory]
    [InlineData("Examples.Neural.TimeMlp", 16)]
    [InlineData("Examples.Flows.Cnf2d", 2)]
    public void TimeConcatenatingNetworksMatchHandWrittenModules(string typeName, int width)
    {
        using var scope = NewDisposeScope();
        OdeModel model = CreateRandomised(typeName);
        // softplus as the language defines it, log(1 + eˣ) with no threshold, written max(x, 0) + log1p(e^−|x|) (torch's
        // softplus returns x itself above 20, 2·10⁻⁹ off, which these pre-activations of up to ~140 reach).
        Func<Tensor, Tensor> activation = typeName.EndsWith("TimeMlp", StringComparison.Ordinal)
            ? x => x.clamp_min(0).add(x.abs().neg().exp().log1p(), 1.0)
            : x => x.tanh();
        var reference = new HandWrittenModels.TimeConcatMlp(model, activation);
        Tensor y = RandomState(width, scale: 2.0);
        Tensor times = RandomTimes();

        AssertClose(reference.forward(tensor(0.7), y), model.forward(tensor(0.7), y));
        AssertClose(reference.forward(times, y), model.forward(times, y));
        // Each sample at its own time is the model at that time alone.
        for (int i = 0; i < 4; i++)
            AssertClose(model.forward(times[i], y[i..(i + 1)]), model.forward(times, y)[i..(i + 1)]);
        Assert.Equal(new[] { "l1.W", "l1.b", "l2.W", "l2.b", "l3.W", "l3.b" }, model.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void HybridPendulumMatchesHandWrittenForward()
    {
        using var scope = NewDisposeScope();
        foreach (double length in new[] { 1.0, 0.25 })
        {
            OdeModel model = CreateRandomised("Examples.Hybrid.HybridPendulum", length);
            Tensor y = RandomState(2, scale: 6.0);
            AssertClose(HandWrittenModels.HybridPendulum(model, length, y), model.forward(tensor(0.0), y));
        }
    }

    [Theory]
    [InlineData("Tensors.Functions", 4)]
    [InlineData("Tensors.Matrices", 13)]
    [InlineData("Tensors.Drift", 3)]
    [InlineData("Tensors.Elementwise", 4)]
    public void EveryTensorConstructMatchesHandWrittenCode(string typeName, int width)
    {
        using var scope = NewDisposeScope();
        OdeModel model = CreateRandomised(typeName);
        Func<Func<string, Tensor>, Tensor, Tensor, Tensor> reference = typeName switch
        {
            "Tensors.Functions" => TensorModels.Functions,
            "Tensors.Matrices" => TensorModels.Matrices,
            "Tensors.Elementwise" => TensorModels.Elementwise,
            _ => TensorModels.Drift,
        };
        Tensor y = RandomState(width, scale: 2.0);
        foreach (Tensor t in new[] { tensor(0.3, dtype: float64), RandomTimes() })
            AssertClose(reference(Parameters(model), t, y), model.forward(t, y));
    }

    [Fact]
    public void MetadataDescribesVectorAndMatrixStates()
    {
        OdeModel model = Create("Tensors.Matrices");

        Assert.Equal("A[3, 3], z[3], s", model.StateLayout);
        Assert.Equal(13, model.StateSize);
        Assert.Equal(new[] { 0, 9, 12 }, model.States.Select(s => s.Offset));
        Assert.Equal(new[] { 3, 2 }, model.ParameterInfos.Single(p => p.Name == "M").Shape);
        Assert.Equal(new[] { "l1.W", "l1.b" }, Create("Examples.Flows.Cnf2d").ParameterInfos.Take(2).Select(p => p.Name));
    }

    public static IEnumerable<object[]> ModelsWithParameters() => new[]
    {
        "Examples.Physics.Lorenz", "Examples.Chemistry.Robertson", "Examples.Neural.Spiral", "Examples.Neural.TimeMlp",
        "Examples.Flows.Cnf2d", "Examples.Hybrid.HybridPendulum", "Tensors.Functions", "Tensors.Matrices", "Tensors.Drift", "Tensors.Elementwise",
    }.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(ModelsWithParameters))]
    public void GradientsReachEveryParameter(string typeName)
    {
        OdeModel model = CreateRandomised(typeName);
        Tensor y = RandomState(model.StateSize, scale: 2.0, batch: 8);
        Tensor weights = torch.rand(8, model.StateSize, dtype: float64, generator: new torch.Generator(5));
        (model.forward(RandomTimes(8), y) * weights).sum().backward();
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.grad is not null && parameter.grad.abs().sum().item<double>() > 0, $"no gradient for {name}");
    }

    [Fact]
    public void ManualSeedMakesWeightsReproducible()
    {
        static double[][] Weights(OdeModel model) => model.parameters().Select(p => p.data<float>().ToArray().Select(v => (double)v).ToArray()).ToArray();

        torch.manual_seed(42);
        double[][] first = Weights(Construct("Examples.Neural.TimeMlp"));
        torch.manual_seed(42);
        double[][] again = Weights(Construct("Examples.Neural.TimeMlp"));
        torch.manual_seed(43);
        double[][] other = Weights(Construct("Examples.Neural.TimeMlp"));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void LayersDrawExactlyLikeTorchLinear()
    {
        torch.manual_seed(7);
        OdeModel model = Construct("Examples.Neural.TimeMlp");
        torch.manual_seed(7);
        var expected = new[] { nn.Linear(17, 64), nn.Linear(65, 64), nn.Linear(65, 16) };

        for (int i = 0; i < 3; i++)
        {
            Assert.True(Same(expected[i].weight!, model.get_parameter($"l{i + 1}.W")!), $"l{i + 1}.W");
            Assert.True(Same(expected[i].bias!, model.get_parameter($"l{i + 1}.b")!), $"l{i + 1}.b");
        }
        double bound = 1.0 / Math.Sqrt(17);
        Assert.True(model.get_parameter("l1.W")!.abs().max().item<float>() <= bound);
    }

    [Fact]
    public void InitialisersDrawLikeTorchNnInit()
    {
        torch.manual_seed(11);
        OdeModel spiral = Construct("Examples.Neural.Spiral");
        torch.manual_seed(11);
        Tensor w1 = nn.init.xavier_uniform_(empty(50, 2)), w2 = nn.init.xavier_uniform_(empty(2, 50));

        Assert.True(Same(w1, spiral.get_parameter("W1")!));
        Assert.True(Same(w2, spiral.get_parameter("W2")!));
        Assert.Equal(0.0, spiral.get_parameter("b1")!.abs().sum().item<float>());

        torch.manual_seed(12);
        OdeModel pendulum = Construct("Examples.Hybrid.HybridPendulum");
        torch.manual_seed(12);
        Assert.True(Same(nn.init.normal_(empty(8, 2), 0.0, 0.1), pendulum.get_parameter("W1")!));
    }
}
