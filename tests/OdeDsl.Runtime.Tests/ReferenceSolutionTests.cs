using System.IO;
using System.Linq;
using System.Text.Json;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>Solutions against spec/reference/solutions.json (scipy DOP853, rtol 1e-13, float64).</summary>
public class ReferenceSolutionTests
{
    private static readonly JsonElement[] References =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(System.AppContext.BaseDirectory, "reference", "solutions.json")))
            .RootElement.EnumerateArray().ToArray();

    [Fact]
    public void LorenzMatchesTheReference() =>
        AssertMatches(Reference("lorenz"), new Lorenz(), new SolverOptions { RelTol = 1e-12, AbsTol = 1e-12 });

    [Fact]
    public void VanDerPolMatchesTheReference() =>
        AssertMatches(Reference("vanderpol", mu: 1.0), new VanDerPol(1.0), new SolverOptions { RelTol = 1e-12, AbsTol = 1e-12 });

    [Fact]
    public void SpiralMatchesTheReference() =>
        AssertMatches(Reference("spiral_true"), new SpiralTrue(ScalarType.Float64), new SolverOptions { RelTol = 1e-12, AbsTol = 1e-12 });

    [Fact]
    public void ReverseTimeLorenzRecoversTheStartFromTheReference()
    {
        // Start from the reference state at t = 0.5 and integrate back to t = 0, where y = (1, 1, 1).
        JsonElement reference = Reference("lorenz");
        double[] yHalf = reference.GetProperty("y")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        using var scope = NewDisposeScope();
        var solution = Ode.Solve(new Lorenz(), tensor(yHalf, new long[] { 1, 3 }), tensor(new[] { 0.5, 0.25, 0.0 }),
            new SolverOptions { RelTol = 1e-12, AbsTol = 1e-12 });
        double[] y0 = solution.Ys[-1, 0].data<double>().ToArray();
        foreach (double v in y0)
            Assert.Equal(1.0, v, 1e-7);
    }

    private static JsonElement Reference(string model, double? mu = null) => References.First(r =>
        r.GetProperty("model").GetString() == model
        && (mu is null || r.GetProperty("params").GetProperty("mu").GetDouble() == mu));

    /// <summary>Solves from the reference's y0 at t = 0 through its times; relative error ≤ 1e-7 everywhere.</summary>
    private static void AssertMatches(JsonElement reference, nn.Module<Tensor, Tensor, Tensor> model, SolverOptions options)
    {
        using var scope = NewDisposeScope();
        double[] y0 = reference.GetProperty("y0").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] times = new[] { 0.0 }.Concat(reference.GetProperty("t").EnumerateArray().Select(v => v.GetDouble())).ToArray();
        double[][] expected = reference.GetProperty("y").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

        var solution = Ode.Solve(model, tensor(y0, new long[] { 1, y0.Length }), tensor(times), options);

        for (int i = 0; i < expected.Length; i++)
        {
            double[] actual = solution.Ys[i + 1, 0].data<double>().ToArray();
            double magnitude = expected[i].Max(System.Math.Abs);
            for (int d = 0; d < y0.Length; d++)
                Assert.True(System.Math.Abs(actual[d] - expected[i][d]) <= 1e-7 * magnitude,
                    $"t = {times[i + 1]}, component {d}: {actual[d]:R} vs reference {expected[i][d]:R}");
        }
    }
}
