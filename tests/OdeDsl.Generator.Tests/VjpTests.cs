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
/// The generated Vjp against autograd on the generated forward: <c>autograd.grad(f, [y, θ…, t], grad_outputs: a)</c>
/// in float64, for every spec model, the tensor models and the edge-case models, on random states, cotangents and
/// parameters, with one time for the batch and one per sample; f equals forward; nothing returned requires grad.
/// </summary>
[Collection(GlobalGenerator.Collection)]
public sealed class VjpTests
{
    private const int Batch = CompiledModels.Batch;

    public static IEnumerable<object[]> AllModels() => CompiledModels.AllModels();

    private static OdeModel CreateRandomised(string typeName, int seed = 99) => CompiledModels.CreateRandomised(typeName, seed);

    private static Tensor RandomState(string typeName, int columns, int seed = 1234) => CompiledModels.RandomState(typeName, columns, seed);

    private static Tensor RandomTimes() => CompiledModels.RandomTimes();

    private static void AssertClose(Tensor expected, Tensor actual, string what) => CompiledModels.AssertClose(expected, actual, what);

    /// <summary>f and its VJPs by autograd on forward, as the runtime's fallback computes them.</summary>
    private static (Tensor F, Tensor State, Tensor[] Parameters, Tensor? Time) Autograd(OdeModel model, Tensor t, Tensor y, Tensor a)
    {
        using var grad = enable_grad();
        Tensor yg = y.detach().requires_grad_(true), tg = t.detach().requires_grad_(true);
        Tensor f = model.forward(tg, yg);
        Tensor[] parameters = model.parameters().Cast<Tensor>().ToArray();
        IList<Tensor> grads = torch.autograd.grad(new[] { f }, new[] { yg }.Concat(parameters).Append(tg).ToArray(), grad_outputs: new[] { a }, allow_unused: true);
        Tensor Or0(Tensor g, Tensor like) => g.IsInvalid ? zeros_like(like) : g;
        Tensor time = grads[grads.Count - 1];
        return (f.detach(), Or0(grads[0], y), parameters.Select((p, i) => Or0(grads[1 + i], p)).ToArray(), time.IsInvalid ? null : time.sum());
    }

    private static void AssertMatchesAutograd(OdeModel model, Tensor t, Tensor y, Tensor a)
    {
        VjpResult? result = ((IHasVjp)model).Vjp(t, y, a);
        Assert.NotNull(result);
        var expected = Autograd(model, t, y, a);

        AssertClose(model.forward(t, y).detach(), result!.Dynamics, "f");
        AssertClose(expected.F, result.Dynamics, "f");
        AssertClose(expected.State, result.State, "aᵀ∂f/∂y");
        string[] names = model.named_parameters().Select(p => p.name).ToArray();
        Assert.Equal(names.Length, result.Parameters.Count);
        for (int i = 0; i < names.Length; i++)
            AssertClose(expected.Parameters[i], result.Parameters[i], $"aᵀ∂f/∂{names[i]}");
        if (expected.Time is null)
        {
            Assert.Null(result.Time);
        }
        else
        {
            Assert.NotNull(result.Time);
            Assert.Equal(0, result.Time!.dim());
            AssertClose(expected.Time, result.Time, "aᵀ∂f/∂t");
        }
        Assert.All(new[] { result.Dynamics, result.State }.Concat(result.Parameters).Concat(result.Time is null ? Array.Empty<Tensor>() : new[] { result.Time }),
            tensor => Assert.False(tensor.requires_grad));
    }

    [Theory]
    [MemberData(nameof(AllModels))]
    public void VjpEqualsAutogradOnTheGeneratedForward(string typeName)
    {
        using var scope = NewDisposeScope();
        OdeModel model = CreateRandomised(typeName);
        Tensor y = RandomState(typeName, model.StateSize);
        Tensor a = torch.randn(Batch, model.StateSize, dtype: float64, generator: new torch.Generator(5));

        AssertMatchesAutograd(model, tensor(0.7, dtype: float64), y, a);
        AssertMatchesAutograd(model, RandomTimes(), y, a);
    }

    [Fact]
    public void KinksTakeTorchsSubgradientsAtTiesAndZeros()
    {
        using var scope = NewDisposeScope();
        OdeModel model = CreateRandomised("Edges.Kinks");
        Tensor w = model.get_parameter("w")!.detach(), k = model.get_parameter("k")!.detach(), c = model.get_parameter("c")!.detach();
        Tensor y = RandomState("Edges.Kinks", model.StateSize);
        // Rows 0-3: x = 0 (abs, relu, x², x³, sign at zero) and s = 0 (norm, abs, relu of s at zero).
        y[0..4, ..] = 0.0;
        // Rows 4-7: ties of min(x, w) in every column, s = k (min(s, k)).
        y[4..8, 0..4] = w.expand(4, 4);
        y[4..8, 4] = k.expand(4);
        // Rows 4-7 also tie clamp(x, w, 0.5)'s varying bound. Rows 8-11: ties of max(x, s) and of the clamps at 0.5
        // (clamp(x, -0.5, 0.5) at its upper bound: the gradient passes, as torch.clamp's); s = c (max(c, s)); negative bases for x³.
        y[8..12, 0..4] = 0.5;
        y[8..12, 4] = c.expand(4);
        y[12..16, 0..4] = -0.5 - y[12..16, 0..4].abs();
        y[12..16, 4] = y[12..16, 0];
        Tensor a = torch.randn(Batch, model.StateSize, dtype: float64, generator: new torch.Generator(6));

        AssertMatchesAutograd(model, tensor(0.3, dtype: float64), y, a);
    }

    /// <summary>
    /// Against torch's own functions, not the generated forward: clamp with fixed bounds passes the whole gradient at
    /// both ties (as torch.clamp), sign's derivative is 0 (at zero too), gelu is the exact erf form.
    /// </summary>
    [Fact]
    public void ClampSignGeluAndSiluTakeTorchsGradientsAtTheirTies()
    {
        using var scope = NewDisposeScope();
        OdeModel model = CreateRandomised("Edges.Clamps");
        Tensor w = model.get_parameter("w")!.detach();
        Tensor y = RandomState("Edges.Clamps", model.StateSize);
        y[0..4, ..] = 0.5;     // clamp(x, −0.5, 0.5) at its upper bound
        y[4..8, ..] = -0.5;    // … at its lower bound
        y[8..12, ..] = 0.25;   // clamp(x, c, 2) at its lower bound
        y[12..14, ..] = 0.0;   // sign, gelu and silu at zero
        Tensor a = torch.randn(Batch, model.StateSize, dtype: float64, generator: new torch.Generator(8));

        Tensor yr = y.detach().requires_grad_(true);
        using var grad = enable_grad();
        using Scalar low = -0.5, high = 0.5, c = 0.25, two = 2.0;
        Tensor f = yr.clamp(low, high) * w + yr.sign() * w + yr.clamp(c, two) + torch.nn.functional.gelu(yr) + torch.nn.functional.silu(yr) + yr.square() * w;
        Tensor expected = torch.autograd.grad(new[] { f }, new[] { yr }, grad_outputs: new[] { a })[0];
        VjpResult result = ((IHasVjp)model).Vjp(tensor(0.0, dtype: float64), y, a);

        CompiledModels.AssertClose(f.detach(), result.Dynamics, "f");
        CompiledModels.AssertClose(expected, result.State, "aᵀ∂f/∂y");
        CompiledModels.AssertClose(expected, ((IHasJacobian)model).Jacobian(tensor(0.0, dtype: float64), y).transpose(1, 2).matmul(a.unsqueeze(2)).squeeze(2), "Jᵀa");
    }

    [Fact]
    public void VjpBuildsNoAutogradGraph()
    {
        using var scope = NewDisposeScope();
        OdeModel model = CreateRandomised("Examples.Neural.TimeMlp");
        Tensor y = RandomState("Examples.Neural.TimeMlp", model.StateSize).requires_grad_(true);
        Tensor a = torch.randn(Batch, model.StateSize, dtype: float64, generator: new torch.Generator(7)).requires_grad_(true);
        Tensor t = tensor(0.2, dtype: float64).requires_grad_(true);
        Assert.All(model.parameters(), parameter => Assert.True(parameter.requires_grad));

        using var grad = enable_grad();
        VjpResult result = ((IHasVjp)model).Vjp(t, y, a);

        Assert.True(is_grad_enabled());
        Assert.False(result.Dynamics.requires_grad);
        Assert.False(result.State.requires_grad);
        Assert.All(result.Parameters, gradient => Assert.False(gradient.requires_grad));
        Assert.False(result.Time!.requires_grad);
        // The same inputs through forward do build a graph: the Vjp's absence of one is not an accident of the inputs.
        Assert.True(model.forward(t, y).requires_grad);
    }

    [Fact]
    public void DegenerateModelsGetZerosAndNulls()
    {
        // A constant derivative, an unused parameter, a state called a (the cotangent parameter then has another
        // name), a let that is a state, a single scalar state, and a model with no state read at all.
        const string source = """
            namespace Degenerate;
            model Odd { state a, x; param unused = 1.0; param k = 2.0; let s = x; da/dt = 1.0; dx/dt = k * s - a; }
            model Constant { state z, w; dz/dt = 3.0; dw/dt = -1.0; }
            """;
        var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("odd.ode", source));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        Assembly assembly = new AssemblyLoadContext("OdeDsl.Generated.Degenerate", isCollectible: true).LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
        using var scope = NewDisposeScope();

        var odd = (OdeModel)Activator.CreateInstance(assembly.GetType("Degenerate.Odd", throwOnError: true)!)!;
        odd.to(float64);
        Tensor y = torch.randn(4, 2, dtype: float64), a = torch.randn(4, 2, dtype: float64);
        VjpResult result = ((IHasVjp)odd).Vjp(tensor(0.0, dtype: float64), y, a);
        // f = (1, k·x − a): aᵀ∂f/∂(a, x) = (−a_x, k·a_x); ∂/∂unused = 0; ∂/∂k = Σ a_x·x; no time.
        AssertClose(stack(new[] { -a[.., 1], 2.0 * a[.., 1] }, 1), result.State, "aᵀ∂f/∂y");
        AssertClose(zeros(new long[0], dtype: float64), result.Parameters[0], "aᵀ∂f/∂unused");
        AssertClose((a[.., 1] * y[.., 1]).sum(), result.Parameters[1], "aᵀ∂f/∂k");
        Assert.Null(result.Time);

        var constant = (OdeModel)Activator.CreateInstance(assembly.GetType("Degenerate.Constant", throwOnError: true)!)!;
        VjpResult none = ((IHasVjp)constant).Vjp(tensor(0.0), torch.randn(4, 2), torch.randn(4, 2));
        Assert.Equal(new long[] { 4, 2 }, none.State.shape);
        Assert.Equal(0.0, none.State.abs().sum().item<float>());
        Assert.Equal(3.0f, none.Dynamics[0, 0].item<float>());
        Assert.Empty(none.Parameters);
    }

    [Fact]
    public void ParameterGradientsComeInParametersOrder()
    {
        OdeModel model = CreateRandomised("Edges.Kinks");

        Assert.Equal(new[] { "k", "w", "c", "l.W", "l.b" }, model.named_parameters().Select(p => p.name));
        VjpResult result = ((IHasVjp)model).Vjp(tensor(0.0, dtype: float64), RandomState("Edges.Kinks", 5), torch.ones(Batch, 5, dtype: float64));
        Assert.Equal(model.parameters().Select(p => p.shape), result.Parameters.Select(p => p.shape));
    }
}

/// <summary>The xUnit collection of the test classes that construct models (and so draw from the global generator).</summary>
internal static class GlobalGenerator
{
    public const string Collection = "TorchSharp's global generator";
}
