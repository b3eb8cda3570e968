using System;
using System.IO;
using System.Linq;
using OdeDsl.Language;
using OdeDsl.Language.Emit;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Semantics;

namespace OdeDsl.Tools.Odec;

/// <summary>
/// odec: the .ode compiler on the command line, for looking at what the generator would produce.
/// <c>odec file.ode [--ir] [--vjp] [--ast] [--diagnostics] [--namespace Ns]</c> prints the generated C# (default), the
/// optimised IR, the derivative IR (what the generated Vjp computes), the bound model, or only the diagnostics; the
/// exit code is 1 when the file has errors.
/// </summary>
public static class Program
{
    private const string Usage = "usage: odec <file.ode> [--ir | --vjp | --ast | --diagnostics] [--namespace <Ns>]";

    public static int Main(string[] args)
    {
        string? path = args.FirstOrDefault(arg => !arg.StartsWith("--", StringComparison.Ordinal) && !IsNamespaceValue(args, arg));
        if (path is null || args.Contains("--help"))
        {
            Console.Error.WriteLine(Usage);
            return path is null ? 2 : 0;
        }
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"odec: no such file '{path}'.");
            return 2;
        }
        string text = File.ReadAllText(path);
        string? defaultNamespace = OptionValue(args, "--namespace");
        OdeCompilation compilation = OdeCompiler.Compile(path, text, defaultNamespace);

        if (args.Contains("--ast"))
        {
            foreach (BoundModel model in OdeFrontEnd.Analyze(path, text, OdeCompiler.NamespaceOrNull(defaultNamespace)).Models)
                Console.Out.Write(BoundModelPrinter.Print(model));
        }
        else if (args.Contains("--ir"))
        {
            foreach (IrModel model in compilation.Models)
                Console.Out.Write(IrPrinter.Print(model));
        }
        else if (args.Contains("--vjp"))
        {
            foreach (IrModel model in compilation.Models)
                Console.Out.Write(IrPrinter.PrintAdjoint(OdeCompiler.Differentiate(model)));
        }
        else if (!args.Contains("--diagnostics"))
        {
            foreach (IrModel model in compilation.Models)
            {
                EquatableArray<GeneratedSource> sources = OdeCompiler.Emit(model, out OdeDiagnostic? failure);
                foreach (GeneratedSource source in sources)
                    Console.Out.Write($"// ===== {source.HintName} =====\n{source.Text}");
                if (failure is not null)
                    Console.Error.WriteLine(failure);
            }
        }

        foreach (OdeDiagnostic diagnostic in compilation.Diagnostics)
            Console.Error.WriteLine(diagnostic);
        return compilation.HasErrors ? 1 : 0;
    }

    private static string? OptionValue(string[] args, string option)
    {
        int index = Array.IndexOf(args, option);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static bool IsNamespaceValue(string[] args, string arg)
    {
        int index = Array.IndexOf(args, arg);
        return index > 0 && args[index - 1] == "--namespace";
    }
}
