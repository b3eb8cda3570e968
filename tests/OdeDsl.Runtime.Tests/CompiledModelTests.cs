using System.Linq;
using OdeDsl.Runtime.Tests.Systems;
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
    private static readonly SolverOptions Tight = new() { RelTol = 1e-12, AbsTol = 1e-12 };

    [Fact]
    public void CompiledLorenzMatchesTheReference()
    {
        using var model = new Examples.Physics.Lorenz();
        model.to(ScalarType.Float64);
        // Parameters start in the default dtype (float32); restore the exact double values after widening.
        SetParameter(model, "beta", 8.0 / 3.0);
        Assert.Equal(new[] { "x", "y", "z" }, model.States.Select(s => s.Name));
        Assert.Equal(new[] { "sigma", "rho", "beta" }, model.named_parameters().Select(p => p.name));
        ReferenceSolutions.AssertMatches(model, ReferenceSolutions.Find("lorenz"), Tight);
    }

    [Fact]
    public void CompiledVanDerPolMatchesTheReference()
    {
        using var model = new Examples.Physics.VanDerPol(mu: 1.0);
        ReferenceSolutions.AssertMatches(model, ReferenceSolutions.Find("vanderpol", mu: 1.0), Tight);
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
}
