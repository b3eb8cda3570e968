using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using OdeDsl.Language.Tests.Verification;
using Xunit;

namespace OdeDsl.Language.Tests.Ir;

/// <summary>The IR of each scalar spec model, as lowered and after the passes.</summary>
public sealed class IrBaselineTests
{
    [Theory]
    [InlineData("lorenz")]
    [InlineData("vanderpol")]
    [InlineData("robertson")]
    public void LoweredAndOptimised(string model)
    {
        IrModel lowered = IrTestModels.Lower(IrTestModels.SpecModelText(model + ".ode"), "/models/" + model + ".ode");
        IrModel optimised = IrOptimizer.Optimize(lowered);
        Snapshot.Verify("== lowered ==\n" + IrPrinter.Print(lowered) + "\n== optimised ==\n" + IrPrinter.Print(optimised), parameter: model);
    }
}
