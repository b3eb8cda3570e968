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
        string tensorFeatures = string.Join("\n", System.Linq.Enumerable.Select(TensorFeatures.Find(bound), u => $"  {u.Span.Line}:{u.Span.Column} {u.Construct}"));
        Snapshot.Verify(BoundModelPrinter.Print(bound) + "tensor features:\n" + tensorFeatures + "\n", parameter: model);
    }
}
