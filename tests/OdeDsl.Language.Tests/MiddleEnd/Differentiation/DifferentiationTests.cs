using System.Linq;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using Xunit;

namespace OdeDsl.Language.Tests.Ir;

/// <summary>Structural properties of the reverse pass (its numbers are checked against autograd in the generator tests).</summary>
public sealed class DifferentiationTests
{
    private static IrKernel Differentiate(string source) => ReverseMode.Differentiate(IrOptimizer.Optimize(IrTestModels.Lower(source)));

    /// <summary>The nodes the reverse pass added after the forward ones.</summary>
    private static System.Collections.Generic.IEnumerable<IrNode> ReverseNodes(string source, IrKernel vjp) =>
        vjp.Nodes.Skip(IrOptimizer.Optimize(IrTestModels.Lower(source)).Forward.Nodes.Count);

    [Fact]
    public void TanhDerivativeReusesTheForwardValue()
    {
        const string source = "model M { state y[2]; param W[3, 2] ~ glorot; param V[2, 3] ~ glorot; let h = tanh(W @ y); dy/dt = V @ h; }";
        IrKernel vjp = Differentiate(source);

        // One tanh in the whole graph: the reverse pass reads h rather than recomputing it.
        Assert.Single(vjp.Nodes, node => node is IrCall { Function: IrFunction.Tanh });
        int h = vjp.Statements.Single(statement => statement.Role == IrRole.Let).Value.Index;
        Assert.Contains(ReverseNodes(source, vjp), node => node is IrBinary { Operator: IrBinaryOperator.Multiply } m && m.Right.Index == h);
    }

    [Fact]
    public void LayerWeightGradientIsOneBatchSumOfAnOuterProduct()
    {
        IrKernel vjp = Differentiate("model M { state y[2]; layer l = linear(2, 2); dy/dt = l(y); }");
        IrValue weight = vjp.Output(IrRole.Adjoint, IrSymbol.Parameter(0))!.Value, bias = vjp.Output(IrRole.Adjoint, IrSymbol.Parameter(1))!.Value;

        Assert.True(vjp[weight] is IrReduceBroadcast { Type.Batched: false } reduce && vjp[reduce.Operand] is IrOuterProduct);
        Assert.True(vjp[bias] is IrReduceBroadcast { Type.Batched: false } sum && vjp[sum.Operand] is IrInput { Kind: IrInputKind.Cotangent });
    }

    [Fact]
    public void SubtractionCostsNoNegation()
    {
        const string source = "model M { state x, y; dx/dt = x - y; dy/dt = y; }";
        IrKernel vjp = Differentiate(source);

        Assert.DoesNotContain(vjp.Nodes, node => node is IrUnary);
        Assert.Contains(ReverseNodes(source, vjp), node => node is IrBinary { Operator: IrBinaryOperator.Subtract });
    }

    [Fact]
    public void ScalarParameterReadByVectorsSumsOverElementsAndBatch()
    {
        IrKernel vjp = Differentiate("model M { state v[3]; param k = 2.0; dv/dt = k * v; }");
        IrValue k = vjp.Output(IrRole.Adjoint, IrSymbol.Parameter(0))!.Value;

        Assert.Equal(IrType.Scalar, vjp[k].Type);
        Assert.IsType<IrReduceBroadcast>(vjp[k]);
    }

    [Fact]
    public void ValuesThatDoNotReachFHaveNoResult()
    {
        IrKernel vjp = Differentiate("model M { state x, z; param k = 1.0; param unused = 2.0; dx/dt = k * x; dz/dt = 1.0; }");

        Assert.NotNull(vjp.Output(IrRole.Adjoint, IrSymbol.State(0)));
        Assert.Null(vjp.Output(IrRole.Adjoint, IrSymbol.State(1)));
        Assert.Null(vjp.Output(IrRole.Adjoint, IrSymbol.Parameter(1)));
        Assert.Null(vjp.Output(IrRole.Adjoint, IrSymbol.Time));
    }

    [Fact]
    public void TimeAdjointIsSummedOverTheBatch()
    {
        IrKernel vjp = Differentiate("model M { state x; dx/dt = x * t; }");

        Assert.Equal(IrType.Scalar, vjp[vjp.Output(IrRole.Adjoint, IrSymbol.Time)!.Value].Type);
    }

    [Fact]
    public void EqualModelsGiveEqualDerivatives()
    {
        IrKernel a = Differentiate("model M { state x;\n dx/dt = tanh(x) * 2; }");
        IrKernel b = Differentiate("model M { state x;\n dx/dt  =  tanh( x )*2 ; // same\n}");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
