using System.Linq;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using Xunit;

namespace OdeDsl.Language.Tests.Ir;

/// <summary>Structural properties of the reverse pass (its numbers are checked against autograd in the generator tests).</summary>
public sealed class DifferentiationTests
{
    private static IrAdjoint Differentiate(string source) => ReverseMode.Differentiate(IrOptimizer.Optimize(IrTestModels.Lower(source)));

    [Fact]
    public void TanhDerivativeReusesTheForwardValue()
    {
        IrAdjoint adjoint = Differentiate("model M { state y[2]; param W[3, 2] ~ glorot; param V[2, 3] ~ glorot; let h = tanh(W @ y); dy/dt = V @ h; }");
        IrModel graph = adjoint.Graph;

        // One tanh in the whole graph: the reverse pass reads h rather than recomputing it.
        Assert.Single(graph.Nodes, node => node is IrCall { Function: IrFunction.Tanh });
        int h = graph.Lets.Single().Value.Index;
        Assert.Contains(graph.Nodes.Skip(adjoint.ForwardNodeCount), node => node is IrBinary { Operator: IrBinaryOperator.Multiply } m && m.Right.Index == h);
    }

    [Fact]
    public void LayerWeightGradientIsOneBatchSumOfAnOuterProduct()
    {
        IrAdjoint adjoint = Differentiate("model M { state y[2]; layer l = linear(2, 2); dy/dt = l(y); }");
        IrModel graph = adjoint.Graph;
        IrValue weight = adjoint.Result(AdjointTargetKind.Parameter, 0)!.Value, bias = adjoint.Result(AdjointTargetKind.Parameter, 1)!.Value;

        Assert.True(graph[weight] is IrReduceBroadcast { Type.Batched: false } reduce && graph[reduce.Operand] is IrOuterProduct);
        Assert.True(graph[bias] is IrReduceBroadcast { Type.Batched: false } sum && graph[sum.Operand] is IrCotangentRead);
    }

    [Fact]
    public void SubtractionCostsNoNegation()
    {
        IrAdjoint adjoint = Differentiate("model M { state x, y; dx/dt = x - y; dy/dt = y; }");

        Assert.DoesNotContain(adjoint.Graph.Nodes, node => node is IrUnary);
        Assert.Contains(adjoint.Graph.Nodes.Skip(adjoint.ForwardNodeCount), node => node is IrBinary { Operator: IrBinaryOperator.Subtract });
    }

    [Fact]
    public void ScalarParameterReadByVectorsSumsOverElementsAndBatch()
    {
        IrAdjoint adjoint = Differentiate("model M { state v[3]; param k = 2.0; dv/dt = k * v; }");
        IrValue k = adjoint.Result(AdjointTargetKind.Parameter, 0)!.Value;

        Assert.Equal(IrType.Scalar, adjoint.Graph[k].Type);
        Assert.IsType<IrReduceBroadcast>(adjoint.Graph[k]);
    }

    [Fact]
    public void ValuesThatDoNotReachFHaveNoResult()
    {
        IrAdjoint adjoint = Differentiate("model M { state x, z; param k = 1.0; param unused = 2.0; dx/dt = k * x; dz/dt = 1.0; }");

        Assert.NotNull(adjoint.Result(AdjointTargetKind.State, 0));
        Assert.Null(adjoint.Result(AdjointTargetKind.State, 1));
        Assert.Null(adjoint.Result(AdjointTargetKind.Parameter, 1));
        Assert.Null(adjoint.Result(AdjointTargetKind.Time, 0));
    }

    [Fact]
    public void TimeAdjointIsSummedOverTheBatch()
    {
        IrAdjoint adjoint = Differentiate("model M { state x; dx/dt = x * t; }");

        Assert.Equal(IrType.Scalar, adjoint.Graph[adjoint.Result(AdjointTargetKind.Time, 0)!.Value].Type);
    }

    [Fact]
    public void EqualModelsGiveEqualDerivatives()
    {
        IrAdjoint a = Differentiate("model M { state x;\n dx/dt = tanh(x) * 2; }");
        IrAdjoint b = Differentiate("model M { state x;\n dx/dt  =  tanh( x )*2 ; // same\n}");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
