using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using OdeDsl.Language.Tests.Verification;
using Xunit;

namespace OdeDsl.Language.Tests.Ir;

/// <summary>The IR of each spec model, as lowered and after the passes.</summary>
public sealed class IrBaselineTests
{
    [Theory]
    [InlineData("lorenz")]
    [InlineData("vanderpol")]
    [InlineData("robertson")]
    [InlineData("spiral")]
    [InlineData("mlp_time")]
    [InlineData("cnf2d")]
    [InlineData("damped_pendulum")]
    public void LoweredAndOptimised(string model)
    {
        IrModel lowered = IrTestModels.Lower(IrTestModels.SpecModelText(model + ".ode"), "/models/" + model + ".ode");
        IrModel optimised = IrOptimizer.Optimize(lowered);
        Snapshot.Verify("== lowered ==\n" + IrPrinter.Print(lowered) + "\n== optimised ==\n" + IrPrinter.Print(optimised), parameter: model);
    }

    /// <summary>The Vjp kernel (forward nodes, reverse nodes, the running sums per block, the outputs) of each spec model.</summary>
    [Theory]
    [InlineData("lorenz")]
    [InlineData("vanderpol")]
    [InlineData("robertson")]
    [InlineData("spiral")]
    [InlineData("mlp_time")]
    [InlineData("cnf2d")]
    [InlineData("damped_pendulum")]
    public void Derivative(string model)
    {
        IrModel optimised = IrOptimizer.Optimize(IrTestModels.Lower(IrTestModels.SpecModelText(model + ".ode"), "/models/" + model + ".ode"));
        Snapshot.Verify(IrPrinter.Print(DerivedKernels.Add(optimised), IrKernelKind.Vjp), parameter: model);
    }
}
