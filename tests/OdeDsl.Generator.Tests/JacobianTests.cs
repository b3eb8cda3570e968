using System.Collections.Generic;
using System.Linq;
using OdeDsl;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// The generated Jacobian and Divergence against autograd, in float64 for every compiled test model: the Jacobian
/// against D reverse passes through the generated forward (row i = ∂f_i/∂y), the divergence against that Jacobian's
/// trace, and the Jacobian against the generated Jvp (J v); with one time for the batch and one per sample.
/// </summary>
[Collection(GlobalGenerator.Collection)]
public sealed class JacobianTests
{
    public static IEnumerable<object[]> AllModels() => CompiledModels.AllModels();

    /// <summary>∂f/∂y by autograd: one reverse pass per output column.</summary>
    private static Tensor AutogradJacobian(OdeModel model, Tensor t, Tensor y)
    {
        using var grad = enable_grad();
        Tensor yg = y.detach().requires_grad_(true);
        Tensor f = model.forward(t, yg);
        var rows = new Tensor[model.StateSize];
        for (int i = 0; i < model.StateSize; i++)
        {
            Tensor row = torch.autograd.grad(new[] { f[.., i].sum() }, new[] { yg }, retain_graph: true, allow_unused: true)[0];
            rows[i] = row.IsInvalid ? zeros_like(y) : row;
        }
        return stack(rows, 1);
    }

    [Theory]
    [MemberData(nameof(AllModels))]
    public void JacobianAndDivergenceEqualAutograd(string typeName)
    {
        using var scope = NewDisposeScope();
        OdeModel model = CompiledModels.CreateRandomised(typeName);
        Tensor y = CompiledModels.RandomState(typeName, model.StateSize);
        Tensor v = torch.randn(CompiledModels.Batch, model.StateSize, dtype: float64, generator: new torch.Generator(21));

        foreach (Tensor t in new[] { tensor(0.6, dtype: float64), CompiledModels.RandomTimes() })
        {
            Tensor expected = AutogradJacobian(model, t, y);
            Tensor jacobian = ((IHasJacobian)model).Jacobian(t, y);
            CompiledModels.AssertClose(expected, jacobian, "∂f/∂y");
            CompiledModels.AssertClose(expected.diagonal(0, 1, 2).sum(new long[] { 1 }), ((IHasDivergence)model).Divergence(t, y), "tr(∂f/∂y)");
            CompiledModels.AssertClose(((IHasJvp)model).Jvp(t, y, v), jacobian.matmul(v.unsqueeze(2)).squeeze(2), "J v");
        }
    }

    /// <summary>
    /// A flow trains through its divergence: the gradient of Σ tr(∂f/∂y) with respect to every parameter and the state,
    /// by autograd through the generated Divergence, equals autograd's second derivatives of forward.
    /// </summary>
    [Theory]
    [InlineData("Examples.Flows.Cnf2d")]
    [InlineData("Examples.Neural.TimeMlp")]
    [InlineData("Tensors.Functions")]
    [InlineData("Tensors.Elementwise")]
    public void DivergenceIsDifferentiable(string typeName)
    {
        using var scope = NewDisposeScope();
        OdeModel model = CompiledModels.CreateRandomised(typeName);
        Tensor t = tensor(0.3, dtype: float64);
        Tensor y = CompiledModels.RandomState(typeName, model.StateSize);
        Tensor[] parameters = model.parameters().Cast<Tensor>().ToArray();
        using var grad = enable_grad();

        // Reference: the trace from autograd's Jacobian with create_graph, then one more reverse pass.
        Tensor yReference = y.detach().requires_grad_(true);
        Tensor f = model.forward(t, yReference);
        Tensor trace = zeros(CompiledModels.Batch, dtype: float64);
        for (int i = 0; i < model.StateSize; i++)
            trace = trace + torch.autograd.grad(new[] { f[.., i].sum() }, new[] { yReference }, retain_graph: true, create_graph: true)[0][.., i];
        IList<Tensor> expected = torch.autograd.grad(new[] { trace.sum() }, parameters.Append(yReference).ToArray(), allow_unused: true);

        Tensor yGenerated = y.detach().requires_grad_(true);
        IList<Tensor> actual = torch.autograd.grad(new[] { ((IHasDivergence)model).Divergence(t, yGenerated).sum() }, parameters.Append(yGenerated).ToArray(), allow_unused: true);
        string[] names = model.named_parameters().Select(p => p.name).Append("y").ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            Tensor reference = expected[i].IsInvalid ? zeros_like(i < parameters.Length ? parameters[i] : y) : expected[i];
            Tensor generated = actual[i].IsInvalid ? zeros_like(reference) : actual[i];
            CompiledModels.AssertClose(reference.detach(), generated.detach(), $"∂(Σ tr J)/∂{names[i]}");
        }
    }

    [Fact]
    public void AFlowEvaluatesItsDynamicsAndDivergenceTogether()
    {
        using var scope = NewDisposeScope();
        OdeModel model = CompiledModels.CreateRandomised("Examples.Flows.Cnf2d");
        Tensor y = CompiledModels.RandomState("Examples.Flows.Cnf2d", model.StateSize);
        Tensor t = CompiledModels.RandomTimes();

        var (dynamics, divergence) = ((IFlow)model).DynamicsAndDivergence(t, y);

        CompiledModels.AssertClose(model.forward(t, y).detach(), dynamics.detach(), "f");
        CompiledModels.AssertClose(AutogradJacobian(model, t, y).diagonal(0, 1, 2).sum(new long[] { 1 }), divergence.detach(), "tr(∂f/∂y)");
    }

    /// <summary>
    /// Randomly generated flows, 1 to 4 hidden layers (the closed form for 1 and 2, the Jacobian's trace beyond), random
    /// widths and activations, t concatenated first, last or not at all, with and without −0.1·z or +z: the generated
    /// Divergence and DynamicsAndDivergence against autograd's trace and forward, in float64.
    /// </summary>
    [Fact]
    public void RandomFlowsHaveTheirDivergenceAndDynamics()
    {
        var random = new System.Random(17);
        var sources = new List<string>();
        for (int flow = 0; flow < 8; flow++)
            sources.Add(OdeDsl.Tests.Shared.RandomFlows.Create(random, hidden: 1 + flow % 4, $"F{flow}"));
        var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("random.ode", "namespace R;\n" + string.Join("\n", sources)));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        var assembly = new System.Runtime.Loader.AssemblyLoadContext("OdeDsl.Generated.RandomFlows", isCollectible: true)
            .LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));

        using var scope = NewDisposeScope();
        for (int flow = 0; flow < sources.Count; flow++)
        {
            var model = (OdeModel)System.Activator.CreateInstance(assembly.GetType($"R.F{flow}", throwOnError: true)!)!;
            model.to(float64);
            Tensor y = torch.randn(6, model.StateSize, dtype: float64, generator: new torch.Generator((ulong)flow + 1));
            Tensor t = tensor(0.4, dtype: float64);
            Tensor trace = AutogradJacobian(model, t, y).diagonal(0, 1, 2).sum(new long[] { 1 });
            CompiledModels.AssertClose(trace, ((IHasDivergence)model).Divergence(t, y).detach(), $"tr(∂f/∂z) of {sources[flow]}");
            var (dynamics, divergence) = ((IFlow)model).DynamicsAndDivergence(t, y);
            CompiledModels.AssertClose(model.forward(t, y).detach(), dynamics.detach(), $"f of {sources[flow]}");
            CompiledModels.AssertClose(trace, divergence.detach(), $"fused tr(∂f/∂z) of {sources[flow]}");
        }
    }

    [Fact]
    public void LinearDynamicsHaveTheirMatrixAsJacobian()
    {
        using var scope = NewDisposeScope();
        // dz/dt = A z + b: J = A for every sample, tr J = tr A (the tangent never depends on the sample).
        var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("linear.ode",
            "namespace L; model Linear { state z[3]; param A[3, 3] ~ normal(0.0, 1.0); param b[3] ~ ones; dz/dt = A @ z + b; }"));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
        var assembly = new System.Runtime.Loader.AssemblyLoadContext("OdeDsl.Generated.Linear", isCollectible: true)
            .LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
        var model = (OdeModel)System.Activator.CreateInstance(assembly.GetType("L.Linear", throwOnError: true)!)!;
        model.to(float64);
        Tensor a = model.get_parameter("A")!.detach();
        Tensor y = torch.randn(5, 3, dtype: float64);

        CompiledModels.AssertClose(a.expand(5, 3, 3), ((IHasJacobian)model).Jacobian(tensor(0.0, dtype: float64), y), "∂f/∂y");
        CompiledModels.AssertClose(a.trace().expand(5), ((IHasDivergence)model).Divergence(tensor(0.0, dtype: float64), y), "tr(∂f/∂y)");
    }
}
