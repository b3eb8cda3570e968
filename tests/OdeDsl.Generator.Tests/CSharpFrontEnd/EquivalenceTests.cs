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

    /// <summary>The elementwise functions as Dsl calls and in TorchSharp's spellings compile like the .ode built-ins.</summary>
    [Fact]
    public void ElementwiseFunctionsCompileLikeTheirOdeBuiltins()
    {
        const string classText = CSharpModelSources.Usings + """
            namespace Tests.Functions;

            [OdeModel]
            public partial class Elementwise
            {
                [State] Tensor x, u;
                [Param(0.5)] Tensor k;
                [Const] double c = 0.4;

                void Dynamics(Tensor t)
                {
                    dx = sinh(x) + cosh(u) + asinh(x) + atanh(0.5 * tanh(u)) + atan(x) + exp2(u) + log1p(x * x) + expm1(u) + erf(x)
                        + gelu(u) + silu(x) + sign(u) + square(x) + cube(u) + pow(k, u) + clamp(x, -1.0, c) + clamp(u, k, x);
                    du = x.sinh() + torch.cosh(u) + x.asinh() + torch.arcsinh(u) + (0.5 * u.tanh()).atanh() + x.arctan() + torch.atan(u)
                        + u.exp2() + (x * x).log1p() + u.expm1() + x.erf() + u.gelu() + x.silu() + u.sign() + x.square() + x.clamp(-1.0, c);
                }
            }
            """;
        const string odeText = """
            namespace Tests.Functions;
            model Elementwise {
                state x, u;
                param k = 0.5;
                const c = 0.4;
                dx/dt = sinh(x) + cosh(u) + asinh(x) + atanh(0.5 * tanh(u)) + atan(x) + exp2(u) + log1p(x * x) + expm1(u) + erf(x)
                        + gelu(u) + silu(x) + sign(u) + square(x) + cube(u) + k^u + clamp(x, -1.0, c) + clamp(u, k, x);
                du/dt = sinh(x) + cosh(u) + asinh(x) + asinh(u) + atanh(0.5 * tanh(u)) + atan(x) + atan(u)
                        + exp2(u) + log1p(x * x) + expm1(u) + erf(x) + gelu(u) + silu(x) + sign(u) + square(x) + clamp(x, -1.0, c);
            }
            """;
        OdeCompilation fromClass = ModelClassReaderHarness.Compile(classText);
        OdeCompilation fromOde = OdeCompiler.Compile("/models/elementwise.ode", odeText, null);

        Assert.Empty(fromClass.Diagnostics);
        Assert.Empty(fromOde.Diagnostics);
        Assert.Equal(WithoutSource(IrPrinter.Print(Assert.Single(fromOde.Models))), WithoutSource(IrPrinter.Print(Assert.Single(fromClass.Models))));
    }

    // Source positions: "line 12", "(lorenz.ode:12)" and the file name in the header.
    private static string WithoutSource(string ir) =>
        Regex.Replace(ir, @"[\w.]+\.(ode|cs)(:\d+)?|line \d+", "<source>");
}
