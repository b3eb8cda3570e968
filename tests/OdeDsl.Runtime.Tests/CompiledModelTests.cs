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

    [Fact]
    public void AStateOfTheWrongWidthNamesTheCompiledLayout()
    {
        using var scope = NewDisposeScope();
        using var spiral = new Examples.Neural.Spiral();
        var e = Assert.Throws<System.ArgumentException>(() => Ode.Solve(spiral, ones(4, 3), tensor(new[] { 0f, 1f })));
        Assert.Contains("y0 has 3 columns, but Spiral has 2 (y[2])", e.Message);
        using var pendulum = new Examples.Hybrid.HybridPendulum();
        e = Assert.Throws<System.ArgumentException>(() => Ode.Solve(pendulum, ones(4, 3), tensor(new[] { 0f, 1f })));
        Assert.Contains("but HybridPendulum has 2 (theta, omega)", e.Message);
    }

    [Fact]
    public void TheCompiledSpiralNetworkTrainsWithAnOptimizer()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        using var model = new Examples.Neural.Spiral();
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        var y0 = tensor(new[] { 2.0f, 0.0f, 0.0f, 1.5f }, new long[] { 2, 2 });
        var ts = linspace(0, 1, 5, ScalarType.Float32);
        var target = y0.unsqueeze(0).expand(5, 2, 2) * 0.5f;
        double first = 0, last = 0;
        for (int i = 0; i < 30; i++)
        {
            optimizer.zero_grad();
            Tensor loss = (Ode.Solve(model, y0, ts).Ys - target).square().mean();
            loss.backward();
            optimizer.step();
            if (i == 0)
                first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < 0.5 * first, $"loss {first} → {last}");
    }
}
