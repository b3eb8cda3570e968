using System.Linq;
using System.Text.RegularExpressions;
using OdeDsl.Language;
using OdeDsl.Language.Ir;
using Xunit;

namespace OdeDsl.Generator.Tests.CSharpFrontEnd;

/// <summary>
/// One compiler, two front ends: a spec model written as an [OdeModel] class compiles to the same IR — every kernel,
/// node for node — as its .ode file. Only where the text came from (file and line) may differ.
/// </summary>
public sealed class EquivalenceTests
{
    [Theory]
    [InlineData(nameof(CSharpModelSources.Lorenz), "lorenz.ode")]
    [InlineData(nameof(CSharpModelSources.VanDerPol), "vanderpol.ode")]
    [InlineData(nameof(CSharpModelSources.Spiral), "spiral.ode")]
    [InlineData(nameof(CSharpModelSources.HybridPendulum), "damped_pendulum.ode")]
    [InlineData(nameof(CSharpModelSources.SpiralInTorchSharp), "spiral.ode")]
    [InlineData(nameof(CSharpModelSources.VanDerPolInTorchSharp), "vanderpol.ode")]
    public void ClassCompilesToTheSameIrAsItsOdeFile(string source, string odeFile)
    {
        string text = (string)typeof(CSharpModelSources).GetField(source)!.GetValue(null)!;
        OdeCompilation fromClass = ModelClassReaderHarness.Compile(text);
        OdeCompilation fromOde = OdeCompiler.Compile("/models/" + odeFile, GeneratorHarness.SpecModel(odeFile), null);

        Assert.Empty(fromClass.Diagnostics);
        Assert.Empty(fromOde.Diagnostics);
        IrModel expected = Assert.Single(fromOde.Models);
        IrModel actual = Assert.Single(fromClass.Models);
        Assert.Equal(expected.Kernels.Select(kernel => kernel.Kind), actual.Kernels.Select(kernel => kernel.Kind));
        Assert.Equal(WithoutSource(IrPrinter.Print(expected)), WithoutSource(IrPrinter.Print(actual)));
    }

    // Source positions: "line 12", "(lorenz.ode:12)" and the file name in the header.
    private static string WithoutSource(string ir) =>
        Regex.Replace(ir, @"[\w.]+\.(ode|cs)(:\d+)?|line \d+", "<source>");
}
