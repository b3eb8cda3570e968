using OdeDsl.Language.Syntax;
using OdeDsl.Language.Tests.Verification;
using Xunit;

namespace OdeDsl.Language.Tests.Syntax;

public sealed class SpecModelSyntaxTests
{
    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void ParsesWithoutDiagnostics(string model)
    {
        ParseResult result = OdeSyntax.Parse(model + ".ode", SpecModels.Read(model));
        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.File);
    }

    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void Ast(string model)
    {
        ParseResult result = OdeSyntax.Parse(model + ".ode", SpecModels.Read(model));
        Snapshot.Verify(Language.Ast.AstPrinter.Print(result.File!), parameter: model);
    }
}
