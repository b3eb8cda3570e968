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
        IrKernel model = ConstantFolding.Run(IrTestModels.Lower("model M { state x; const c = 2.0; dx/dt = (8.0 / 3.0) * x + c * 2.0 - -(1.5); }").Forward);

        Assert.Contains(model.Nodes, node => node is IrLiteral { Value: 8.0 / 3.0 });
        Assert.Contains(model.Nodes, node => node is IrLiteral { Value: -1.5 });
        // Constants are runtime values: c * 2.0 stays.
        Assert.Contains(model.Nodes, node => node is IrBinary { Operator: IrBinaryOperator.Multiply } b && model[b.Left] is IrConstantRead);
        Assert.DoesNotContain(model.Nodes, node => node is IrLiteral { Value: 8.0 });
    }

    [Fact]
    public void CommonSubexpressionsBecomeOneNodeInEitherOperandOrder()
    {
        IrKernel lowered = IrTestModels.Lower("model M { state x, y; dx/dt = x * y + 1; dy/dt = y * x - 1; }").Forward;
        IrKernel shared = CommonSubexpressionElimination.Run(lowered);

        Assert.Equal(2, lowered.Nodes.Count(node => node is IrBinary { Operator: IrBinaryOperator.Multiply }));
        Assert.Single(shared.Nodes, node => node is IrBinary { Operator: IrBinaryOperator.Multiply });
        Assert.Single(shared.Nodes, node => node is IrInput { Kind: IrInputKind.State, State: 0 });
        var product = new IrValue(shared.Nodes.ToList().FindIndex(node => node is IrBinary { Operator: IrBinaryOperator.Multiply }));
        Assert.Equal(2, shared.Nodes.Count(node => node.Operands.Contains(product)));
    }

    [Fact]
    public void DeadLetsAreRemoved()
    {
        IrModel model = IrOptimizer.Optimize(IrTestModels.Lower("model M { state x; let unused = exp(x); let used = 2 * x; dx/dt = used; }"));

        Assert.Equal(new[] { "used" }, model.Forward.Statements.Where(statement => statement.Role == IrRole.Let).Select(let => model.NameOf(let.Of)));
        Assert.DoesNotContain(model.Forward.Nodes, node => node is IrCall);
    }

    [Fact]
    public void NegationsFoldIntoSubtractionExactly()
    {
        IrKernel model = IrOptimizer.Optimize(IrTestModels.Lower("model M { state x, y; dx/dt = -x + y; dy/dt = x - -y; }")).Forward;

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
        IrKernel forward = model.Forward;

        var add = Assert.IsType<IrBinary>(forward[forward.Outputs[0].Value]);
        var product = Assert.IsType<IrMatrixProduct>(forward[add.Left]);
        Assert.Equal("l.W", model.Parameters[Assert.IsType<IrParameterRead>(forward[product.Left]).Parameter].Name);
        Assert.Equal("l.b", model.Parameters[Assert.IsType<IrParameterRead>(forward[add.Right]).Parameter].Name);
        Assert.Equal(new IrType(IrShape.Vector(3), Batched: true), forward[product.Right].Type);
        Assert.Equal(new[] { "l", "l" }, model.Parameters.Select(p => p.Layer));
        Assert.Equal(new IrLayer("l", 3, 2, 1), Assert.Single(model.Layers));
    }

    [Fact]
    public void TimeIsABatchedScalarSharedByCse()
    {
        IrKernel model = IrOptimizer.Optimize(IrTestModels.Lower("model M { state x, v[2]; dx/dt = t * x; dv/dt = [t; t] * v; }")).Forward;

        IrInput time = Assert.Single(model.Nodes.OfType<IrInput>(), input => input.Kind == IrInputKind.Time);
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
