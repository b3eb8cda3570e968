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
    private static readonly SolverOptions Tight = new() { RelTol = 1e-12, AbsTol = 1e-12 };

    [Fact]
    public void LorenzMatchesTheReference() =>
        ReferenceSolutions.AssertMatches(new Lorenz(), ReferenceSolutions.Find("lorenz"), Tight);

    [Fact]
    public void VanDerPolMatchesTheReference() =>
        ReferenceSolutions.AssertMatches(new VanDerPol(1.0), ReferenceSolutions.Find("vanderpol", mu: 1.0), Tight);

    [Fact]
    public void SpiralMatchesTheReference() =>
        ReferenceSolutions.AssertMatches(new SpiralTrue(ScalarType.Float64), ReferenceSolutions.Find("spiral_true"), Tight);

    [Fact]
    public void ReverseTimeLorenzRecoversTheStartFromTheReference()
    {
        // Start from the reference state at t = 0.5 and integrate back to t = 0, where y = (1, 1, 1).
        JsonElement reference = ReferenceSolutions.Find("lorenz");
        double[] yHalf = reference.GetProperty("y")[0].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        using var scope = NewDisposeScope();
        var solution = Ode.Solve(new Lorenz(), tensor(yHalf, new long[] { 1, 3 }), tensor(new[] { 0.5, 0.25, 0.0 }),
            Tight);
        double[] y0 = solution.Ys[-1, 0].data<double>().ToArray();
        foreach (double v in y0)
            Assert.Equal(1.0, v, 1e-7);
    }
}
