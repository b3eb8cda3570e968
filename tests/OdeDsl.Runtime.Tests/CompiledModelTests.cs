using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// The models compiled from spec/models/*.ode by the generator (at this project's build) solved with the runtime,
/// against the scipy references of spec/reference/solutions.json (float64, relative error ≤ 1e-7).
/// </summary>
public class CompiledModelTests
{
    private static readonly JsonElement[] References =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "reference", "solutions.json")))
            .RootElement.EnumerateArray().ToArray();

    [Fact]
    public void CompiledLorenzMatchesTheReference()
    {
        using var model = new Examples.Physics.Lorenz();
        model.to(ScalarType.Float64);
        // Parameters start in the default dtype (float32); restore the exact double values after widening.
        SetParameter(model, "beta", 8.0 / 3.0);
        Assert.Equal(new[] { "x", "y", "z" }, model.States.Select(s => s.Name));
        Assert.Equal(new[] { "sigma", "rho", "beta" }, model.named_parameters().Select(p => p.name));
        AssertMatches(model, References.First(r => r.GetProperty("model").GetString() == "lorenz"));
    }

    [Fact]
    public void CompiledVanDerPolMatchesTheReference()
    {
        using var model = new Examples.Physics.VanDerPol(mu: 1.0);
        AssertMatches(model, References.First(r => r.GetProperty("model").GetString() == "vanderpol"
            && r.GetProperty("params").GetProperty("mu").GetDouble() == 1.0));
    }

    [Fact]
    public void CompiledVanDerPolTakesItsConstFromTheConstructor()
    {
        using var scope = NewDisposeScope();
        using var model = new Examples.Physics.VanDerPol(mu: 1000.0);
        // v' = μ(1 − x²)v − x at x = 2, v = 0.5: 1000·(1 − 4)·0.5 − 2 = −1502.
        Tensor dy = model.forward(tensor(0.0), tensor(new[] { 2.0, 0.5 }, new long[] { 1, 2 }));
        Assert.Equal(new[] { 0.5, -1502.0 }, dy.data<double>().ToArray());
    }

    private static void SetParameter(nn.Module model, string name, double value)
    {
        using var noGrad = no_grad();
        model.get_parameter(name)!.copy_(tensor(value, ScalarType.Float64));
    }

    private static void AssertMatches(OdeModel model, JsonElement reference)
    {
        using var scope = NewDisposeScope();
        double[] y0 = reference.GetProperty("y0").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] times = new[] { 0.0 }.Concat(reference.GetProperty("t").EnumerateArray().Select(v => v.GetDouble())).ToArray();
        double[][] expected = reference.GetProperty("y").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

        using var noGrad = no_grad();
        var solution = Ode.Solve(model, tensor(y0, new long[] { 1, y0.Length }), tensor(times), new SolverOptions { RelTol = 1e-12, AbsTol = 1e-12 });

        for (int i = 0; i < expected.Length; i++)
        {
            double[] actual = solution.Ys[i + 1, 0].data<double>().ToArray();
            double magnitude = expected[i].Max(System.Math.Abs);
            for (int d = 0; d < y0.Length; d++)
                Assert.True(System.Math.Abs(actual[d] - expected[i][d]) <= 1e-7 * magnitude,
                    $"{model.GetType().Name}, t = {times[i + 1]}, component {d}: {actual[d]:R} vs reference {expected[i][d]:R}");
        }
    }
}
