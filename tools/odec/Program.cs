using System;
using System.IO;
using System.Linq;
using OdeDsl.Language;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Emit;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Semantics;

namespace OdeDsl.Tools.Odec;

/// <summary>
/// odec: the .ode compiler on the command line, for looking at what the generator would produce.
/// <c>odec file.ode [--ir | --kernel NAME | --vjp | --ast | --diagnostics] [--namespace Ns]</c> prints the generated C#
/// (default), the IR of every kernel, the IR of one kernel (<c>forward</c>, <c>vjp</c>, <c>jvp</c>, <c>jacobian</c>; <c>--vjp</c> is
/// <c>--kernel vjp</c>), the bound model, or only the diagnostics; the exit code is 1 when the file has errors.
/// </summary>
public static class Program
{
    private static readonly string Usage =
        "usage: odec <file.ode> [--ir | --kernel <" + string.Join("|", KernelKinds.Select(IrPrinter.KernelName)) + "> | --vjp | --ast | --diagnostics] [--namespace <Ns>]";

    private static IrKernelKind[] KernelKinds => (IrKernelKind[])Enum.GetValues(typeof(IrKernelKind));

    public static int Main(string[] args)
    {
        string? path = args.FirstOrDefault(arg => !arg.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(args, arg));
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
        string? kernelName = args.Contains("--vjp") ? IrPrinter.KernelName(IrKernelKind.Vjp) : OptionValue(args, "--kernel");
        IrKernelKind? kernel = KernelKinds.Where(kind => IrPrinter.KernelName(kind) == kernelName).Select(kind => (IrKernelKind?)kind).FirstOrDefault();
        if ((args.Contains("--kernel") || args.Contains("--vjp")) && kernel is null)
        {
            Console.Error.WriteLine($"odec: no kernel called '{kernelName}'. {Usage}");
            return 2;
        }
        OdeCompilation compilation = OdeCompiler.Compile(path, text, defaultNamespace);

        if (args.Contains("--ast"))
        {
            foreach (BoundModel model in OdeFrontEnd.Analyze(path, text, CSharpNames.NamespaceOrNull(defaultNamespace)).Models)
                Console.Out.Write(BoundModelPrinter.Print(model));
        }
        else if (args.Contains("--ir"))
        {
            foreach (IrModel model in compilation.Models)
                Console.Out.Write(IrPrinter.Print(model));
        }
        else if (kernel is IrKernelKind kind)
        {
            foreach (IrModel model in compilation.Models)
                Console.Out.Write(IrPrinter.Print(model.WithKernel(DerivedKernels.Derive(model, kind)), kind));
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

    private static bool IsOptionValue(string[] args, string arg)
    {
        int index = Array.IndexOf(args, arg);
        return index > 0 && args[index - 1] is "--namespace" or "--kernel";
    }
}
