using System.Linq;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Emit;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using OdeDsl.Language.Tests.Ir;
using Xunit;

namespace OdeDsl.Language.Tests.Emit;

/// <summary>The TorchSharp target's rewrite: which node patterns become one call, and which must not.</summary>
public sealed class FusionTests
{
    private static (IrModel Model, IrKernel Fused) Fuse(string source, IrKernelKind kind = IrKernelKind.Forward)
    {
        IrModel model = DerivedKernels.Add(IrOptimizer.Optimize(IrTestModels.Lower(source)));
        return (model, TorchSharpFusion.Run(model, model.Kernel(kind)!));
    }

    [Fact]
    public void LayerBecomesOneLinearInPlace()
    {
        var (model, fused) = Fuse("model M { state y[2]; layer l = linear(2, 3); param V[2, 3] ~ glorot; dy/dt = V @ tanh(l(y)); }");

        // In place: same node count, the add replaced, statements and outputs untouched.
        Assert.Equal(model.Forward.Nodes.Count, fused.Nodes.Count);
        Assert.Equal(model.Forward.Statements, fused.Statements);
        int add = model.Forward.Nodes.ToList().FindIndex(node => node is IrBinary { Operator: IrBinaryOperator.Add });
        Assert.IsType<FusedLinear>(fused.Nodes[add]);
        // The backend-neutral kernel is unchanged.
        Assert.DoesNotContain(model.Forward.Nodes, node => node is FusedLinear);
    }

    [Fact]
    public void MultiplyAddFusesOnlyAnUnnamedProductUsedOnce()
    {
        var (_, once) = Fuse("model M { state x, y; dx/dt = x + y * x; dy/dt = y; }");
        var (_, shared) = Fuse("model M { state x, y; dx/dt = x + y * x; dy/dt = y * x; }");
        var (_, named) = Fuse("model M { state x, y; let p = y * x; dx/dt = x + p; dy/dt = y; }");

        Assert.Contains(once.Nodes, node => node is FusedMultiplyAdd);
        Assert.DoesNotContain(shared.Nodes, node => node is FusedMultiplyAdd);
        Assert.DoesNotContain(named.Nodes, node => node is FusedMultiplyAdd);
    }

    [Fact]
    public void HostFactorBecomesAnAlphaAndSquareASquare()
    {
        var (_, fused) = Fuse("model M { state x, y; const c = 2.0; dx/dt = y - c * x; dy/dt = x^2; }");

        Assert.Contains(fused.Nodes, node => node is FusedScaledAdd { Subtract: true });
        Assert.Contains(fused.Nodes, node => node is FusedSquare);
    }

    [Fact]
    public void WeightGradientIsOneBatchMatrixProduct()
    {
        var (_, vjp) = Fuse("model M { state y[2]; layer l = linear(2, 2); dy/dt = tanh(l(y)); }", IrKernelKind.Vjp);

        Assert.Contains(vjp.Nodes, node => node is FusedBatchOuterSum);
    }
}
