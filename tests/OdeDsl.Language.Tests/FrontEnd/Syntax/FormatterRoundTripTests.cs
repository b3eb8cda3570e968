using System.Linq;
using System.Text.RegularExpressions;
using CsCheck;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Syntax;
using OdeDsl.Language.Tests.Verification;
using OdeDsl.Tests.Shared;
using Xunit;

namespace OdeDsl.Language.Tests.Syntax;

/// <summary>
/// The canonical printer round-trips (issue 13 §4): parse(format(ast)) is the same AST, spans aside, and formatting
/// is idempotent — for every spec model and for random models (CsCheck; <c>ODEDSL_PROPERTY_BATCHES</c> for more).
/// </summary>
public sealed class FormatterRoundTripTests
{
    private static readonly Regex Spans = new(@" \[\d+:\d+-\d+:\d+\]| at \d+:\d+", RegexOptions.Compiled);

    private static void AssertRoundTrips(string source)
    {
        ParseResult first = OdeSyntax.Parse("original.ode", source);
        Assert.Empty(first.Diagnostics);
        string formatted = SourceFormatter.Format(first.File!);
        ParseResult second = OdeSyntax.Parse("formatted.ode", formatted);
        Assert.True(second.Diagnostics.Count == 0, $"{string.Join("; ", second.Diagnostics)}\n{formatted}");
        Assert.Equal(Spans.Replace(AstPrinter.Print(first.File!), ""), Spans.Replace(AstPrinter.Print(second.File!), ""));
        Assert.Equal(formatted, SourceFormatter.Format(second.File!));
    }

    [Theory]
    [MemberData(nameof(SpecModels.Names), MemberType = typeof(SpecModels))]
    public void SpecModelsRoundTrip(string model) => AssertRoundTrips(SpecModels.Read(model));

    [Fact]
    public void RandomModelsRoundTrip()
    {
        int batches = int.TryParse(System.Environment.GetEnvironmentVariable("ODEDSL_PROPERTY_BATCHES"), out int n) && n > 0 ? n * 10 : 100;
        Gen.Int[0, 1_000_000].Sample(seed =>
            AssertRoundTrips("namespace P;\n" + RandomScalarModels.Build(seed, "R").Text + RandomVectorModels.Build(seed, "V").Text), iter: batches, threads: 1);
    }
}
