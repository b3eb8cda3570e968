using System.Collections.Generic;
using System.Linq;
using OdeDsl;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// The generated Jvp against truth from outside it, in float64 for every compiled test model: against autograd's
/// reverse pass on the generated forward by the transpose identity aᵀ(J v) = (Jᵀ a)ᵀ v per sample, and against
/// central finite differences of forward; with one time for the batch and one per sample.
/// </summary>
[Collection(GlobalGenerator.Collection)]
public sealed class JvpTests
{
    public static IEnumerable<object[]> AllModels() => CompiledModels.AllModels();

    [Theory]
    [MemberData(nameof(AllModels))]
    public void JvpIsTheTransposeOfAutogradsVjp(string typeName)
    {
        using var scope = NewDisposeScope();
        OdeModel model = CompiledModels.CreateRandomised(typeName);
        Tensor y = CompiledModels.RandomState(typeName, model.StateSize);
        Tensor v = torch.randn(CompiledModels.Batch, model.StateSize, dtype: float64, generator: new torch.Generator(11));
        Tensor a = torch.randn(CompiledModels.Batch, model.StateSize, dtype: float64, generator: new torch.Generator(12));

        foreach (Tensor t in new[] { tensor(0.7, dtype: float64), CompiledModels.RandomTimes() })
        {
            Tensor jv = ((IHasJvp)model).Jvp(t, y, v);
            Tensor jTa;
            using (enable_grad())
            {
                Tensor yg = y.detach().requires_grad_(true);
                jTa = torch.autograd.grad(new[] { model.forward(t, yg) }, new[] { yg }, grad_outputs: new[] { a }, allow_unused: true)[0];
                if (jTa.IsInvalid)
                    jTa = zeros_like(y);
            }
            CompiledModels.AssertClose((jTa * v).sum(1), (a * jv).sum(1), "aᵀ(J v) per sample");
        }
    }

    [Theory]
    [MemberData(nameof(AllModels))]
    public void JvpMatchesCentralFiniteDifferences(string typeName)
    {
        using var scope = NewDisposeScope();
        OdeModel model = CompiledModels.CreateRandomised(typeName);
        Tensor y = CompiledModels.RandomState(typeName, model.StateSize);
        Tensor v = torch.randn(CompiledModels.Batch, model.StateSize, dtype: float64, generator: new torch.Generator(13));
        Tensor t = tensor(0.4, dtype: float64);
        const double step = 1e-6;

        Tensor jv = ((IHasJvp)model).Jvp(t, y, v);
        Tensor differences = (model.forward(t, y + step * v) - model.forward(t, y - step * v)) / (2 * step);
        CompiledModels.AssertClose(differences.detach(), jv, "(∂f/∂y)·v", tolerance: 1e-6);
    }

    [Fact]
    public void StatesThatDoNotMoveTheDerivativeGetZeros()
    {
        using var scope = NewDisposeScope();
        // dz/dt is constant, dw/dt depends on z only: (∂f/∂y)·v = (0, 2·v_z).
        var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("zeros.ode", "namespace Z; model M { state z, w; dz/dt = 3.0; dw/dt = 2.0 * z; }"));
        Assert.Empty(diagnostics);
        var assembly = new System.Runtime.Loader.AssemblyLoadContext("OdeDsl.Generated.Zeros", isCollectible: true)
            .LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
        var model = (OdeModel)System.Activator.CreateInstance(assembly.GetType("Z.M", throwOnError: true)!)!;
        model.to(float64);
        Tensor v = torch.randn(4, 2, dtype: float64);

        Tensor jv = ((IHasJvp)model).Jvp(tensor(0.0, dtype: float64), torch.randn(4, 2, dtype: float64), v);
        CompiledModels.AssertClose(stack(new[] { zeros(4, dtype: float64), 2.0 * v[.., 0] }, 1), jv, "(∂f/∂y)·v");
    }
}
