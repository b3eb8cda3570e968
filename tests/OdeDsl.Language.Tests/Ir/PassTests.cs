using System.Linq;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using Xunit;

namespace OdeDsl.Language.Tests.Ir;

public sealed class PassTests
{
    [Fact]
    public void ConstantFoldingEvaluatesLiteralArithmeticOnly()
    {
        IrModel model = ConstantFolding.Run(IrTestModels.Lower("model M { state x; const c = 2.0; dx/dt = (8.0 / 3.0) * x + c * 2.0 - -(1.5); }"));

        Assert.Contains(model.Nodes, node => node is IrLiteral { Value: 8.0 / 3.0 });
        Assert.Contains(model.Nodes, node => node is IrLiteral { Value: -1.5 });
        // Constants are runtime values: c * 2.0 stays.
        Assert.Contains(model.Nodes, node => node is IrBinary { Operator: IrBinaryOperator.Multiply } b && model[b.Left] is IrConstantRead);
        Assert.DoesNotContain(model.Nodes, node => node is IrLiteral { Value: 8.0 });
    }

    [Fact]
    public void CommonSubexpressionsBecomeOneNodeInEitherOperandOrder()
    {
        IrModel lowered = IrTestModels.Lower("model M { state x, y; dx/dt = x * y + 1; dy/dt = y * x - 1; }");
        IrModel shared = CommonSubexpressionElimination.Run(lowered);

        Assert.Equal(2, lowered.Nodes.Count(node => node is IrBinary { Operator: IrBinaryOperator.Multiply }));
        Assert.Single(shared.Nodes, node => node is IrBinary { Operator: IrBinaryOperator.Multiply });
        Assert.Single(shared.Nodes, node => node is IrStateRead { State: 0 });
        Assert.Equal(2, IrGraph.UseCounts(shared)[shared.Nodes.ToList().FindIndex(node => node is IrBinary { Operator: IrBinaryOperator.Multiply })]);
    }

    [Fact]
    public void DeadLetsAreRemoved()
    {
        IrModel model = IrOptimizer.Optimize(IrTestModels.Lower("model M { state x; let unused = exp(x); let used = 2 * x; dx/dt = used; }"));

        Assert.Equal(new[] { "used" }, model.Lets.Select(let => let.Name));
        Assert.DoesNotContain(model.Nodes, node => node is IrCall);
    }

    [Fact]
    public void NegationsFoldIntoSubtractionExactly()
    {
        IrModel model = IrOptimizer.Optimize(IrTestModels.Lower("model M { state x, y; dx/dt = -x + y; dy/dt = x - -y; }"));

        Assert.DoesNotContain(model.Nodes, node => node is IrUnary);
        Assert.Contains(model.Nodes, node => node is IrBinary { Operator: IrBinaryOperator.Subtract });
        Assert.Contains(model.Nodes, node => node is IrBinary { Operator: IrBinaryOperator.Add });
    }

    [Fact]
    public void SignedZeroLiteralsStayDistinct()
    {
        Assert.NotEqual(new IrLiteral(0.0), new IrLiteral(-0.0));
        Assert.Equal(new IrLiteral(double.NaN), new IrLiteral(double.NaN));
    }

    [Fact]
    public void WhitespaceEditsGiveAnEqualModel()
    {
        IrModel a = IrOptimizer.Optimize(IrTestModels.Lower("model M { state x;\n  dx/dt = -x*2; }"));
        IrModel b = IrOptimizer.Optimize(IrTestModels.Lower("model M { state x;\n  dx/dt   =   - x * 2 ; // comment\n}"));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void LayerApplicationLowersToMatrixProductPlusBias()
    {
        IrModel model = IrTestModels.Lower("model M { state h[2]; layer l = linear(3, 2); dh/dt = l([h; t]); }");

        var add = Assert.IsType<IrBinary>(model[model.Equations[0].Value]);
        var product = Assert.IsType<IrMatrixProduct>(model[add.Left]);
        Assert.Equal("l.W", model.Parameters[Assert.IsType<IrParameterRead>(model[product.Left]).Parameter].Name);
        Assert.Equal("l.b", model.Parameters[Assert.IsType<IrParameterRead>(model[add.Right]).Parameter].Name);
        Assert.Equal(new IrType(IrShape.Vector(3), Batched: true), model[product.Right].Type);
        Assert.Equal(new[] { "l", "l" }, model.Parameters.Select(p => p.Layer));
        Assert.Equal(new IrLayer("l", 3, 2, 1), Assert.Single(model.Layers));
    }

    [Fact]
    public void TimeIsABatchedScalarSharedByCse()
    {
        IrModel model = IrOptimizer.Optimize(IrTestModels.Lower("model M { state x, v[2]; dx/dt = t * x; dv/dt = [t; t] * v; }"));

        IrTime time = Assert.Single(model.Nodes.OfType<IrTime>());
        Assert.Equal(IrType.BatchedScalar, time.Type);
        Assert.Single(model.Nodes.OfType<IrConcatenation>());
    }

    [Fact]
    public void InitialisersCompareBitwise()
    {
        Assert.NotEqual(IrInitializer.Value(0.0), IrInitializer.Value(-0.0));
        Assert.Equal(new IrInitializer(IrInitializerKind.Normal, EquatableArray.Create(0.0, 0.1)), new IrInitializer(IrInitializerKind.Normal, EquatableArray.Create(0.0, 0.1)));
        Assert.Equal(new IrInitializer(IrInitializerKind.Normal, EquatableArray.Create(0.0, 0.1)).GetHashCode(), new IrInitializer(IrInitializerKind.Normal, EquatableArray.Create(0.0, 0.1)).GetHashCode());
    }
}
