using System.Linq;
using Xunit;

namespace OdeDsl.Generator.Tests.CSharpFrontEnd;

/// <summary>
/// Half-typed [OdeModel] classes — every prefix of a real one, as an editor sees while the user types — never crash
/// the generator: they become diagnostics (or nothing, while the attribute is incomplete), never an internal error.
/// </summary>
public sealed class ClassRobustnessTests
{
    [Fact]
    public void EveryPrefixOfAClassIsHandled()
    {
        string source = CSharpModelSources.HybridPendulum;
        int start = source.IndexOf("[OdeModel]", System.StringComparison.Ordinal);
        for (int length = start; length <= source.Length; length += 5)
        {
            string prefix = source.Substring(0, length);
            var (_, diagnostics, result) = GeneratorHarness.RunOnCSharp(new[] { ("/src/Typing.cs", prefix) });

            Assert.Null(result.Results.Single().Exception);
            Assert.DoesNotContain(diagnostics, d => d.Id == "ODE9001");
            Assert.All(diagnostics, d => Assert.StartsWith("ODE", d.Id));
        }
    }
}
