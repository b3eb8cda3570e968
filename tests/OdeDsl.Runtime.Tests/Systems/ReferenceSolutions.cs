using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests.Systems;

/// <summary>spec/reference/solutions.json: scipy solutions (DOP853 or Radau, rtol ≤ 1e-11, float64).</summary>
internal static class ReferenceSolutions
{
    private static readonly JsonElement[] All =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "solutions.json")))
            .RootElement.EnumerateArray().ToArray();

    /// <summary>The reference for <paramref name="model"/> (and, for Van der Pol, its μ).</summary>
    public static JsonElement Find(string model, double? mu = null) => All.First(r =>
        r.GetProperty("model").GetString() == model
        && (mu is null || r.GetProperty("params").GetProperty("mu").GetDouble() == mu));

    /// <summary>Solves from the reference's y0 at t = 0 through its times; relative error ≤ 1e-7 at every time.</summary>
    public static void AssertMatches(nn.Module<Tensor, Tensor, Tensor> model, JsonElement reference, SolverOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double[] y0 = reference.GetProperty("y0").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] times = new[] { 0.0 }.Concat(reference.GetProperty("t").EnumerateArray().Select(v => v.GetDouble())).ToArray();
        double[][] expected = reference.GetProperty("y").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

        var solution = Ode.Solve(model, tensor(y0, new long[] { 1, y0.Length }), tensor(times), options);

        for (int i = 0; i < expected.Length; i++)
        {
            double[] actual = solution.Ys[i + 1, 0].data<double>().ToArray();
            double magnitude = expected[i].Max(Math.Abs);
            for (int d = 0; d < y0.Length; d++)
                Assert.True(Math.Abs(actual[d] - expected[i][d]) <= 1e-7 * magnitude,
                    $"{model.GetType().Name}, t = {times[i + 1]}, component {d}: {actual[d]:R} vs reference {expected[i][d]:R}");
        }
    }
}
