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
}
