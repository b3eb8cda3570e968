using System.IO;
using System.Linq;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Lowering;
using OdeDsl.Language.Semantics;
using Xunit;

namespace OdeDsl.Language.Tests.Ir;

/// <summary>Spec models and small sources lowered to IR (unoptimised), for the IR and emitter tests.</summary>
internal static class IrTestModels
{
    public static string SpecModelText(string fileName, [System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "..", "spec", "models", fileName));

    /// <summary>The single model of <paramref name="text"/>, lowered but not optimised.</summary>
    public static IrModel Lower(string text, string path = "/models/test.ode")
    {
        FrontEndResult front = OdeFrontEnd.Analyze(path, text, "Tests");
        Assert.Empty(front.Diagnostics);
        return IrLowering.Lower(front.Models.Single());
    }
}
