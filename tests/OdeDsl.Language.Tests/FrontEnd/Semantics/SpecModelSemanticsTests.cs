using OdeDsl.Language.Semantics;
using OdeDsl.Language.Tests.Verification;
using Xunit;

namespace OdeDsl.Language.Tests.Semantics;

public sealed class SpecModelSemanticsTests
{
    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void BindsWithoutDiagnostics(string model)
    {
        FrontEndResult result = OdeFrontEnd.Analyze(model + ".ode", SpecModels.Read(model));
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Models);
    }

    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void BoundModel(string model)
    {
        FrontEndResult result = OdeFrontEnd.Analyze(model + ".ode", SpecModels.Read(model));
        BoundModel bound = Assert.Single(result.Models);
        Snapshot.Verify(BoundModelPrinter.Print(bound), parameter: model);
    }
}
