using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace OdeDsl.Generator.Tests;

/// <summary>Runs the generator in-process on .ode texts, and compiles what it produced against TorchSharp and the runtime.</summary>
internal static class GeneratorHarness
{
    public const string ModelsFolder = "/models";

    /// <summary>The spec model file's text, copied beside the tests.</summary>
    public static string SpecModel(string name) => System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "models", name));

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The test process's own framework, plus TorchSharp and the runtime (both loaded beside the tests).
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        IEnumerable<string> extra = new[] { typeof(TorchSharp.torch).Assembly.Location, typeof(OdeDsl.OdeModel).Assembly.Location };
        return platform.Concat(extra).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    });

    public static CSharpCompilation EmptyCompilation() =>
        CSharpCompilation.Create(
            "Generated" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Anchor { } }", new CSharpParseOptions(LanguageVersion.Latest)) },
            References.Value,
            // Every warning wave on (the SDK's default level follows the target framework; the options' default, 4,
            // would hide e.g. CS8981), and warnings as errors.
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error, warningLevel: 9999));

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> files, string? rootNamespace = "Consumer") =>
        CSharpGeneratorDriver.Create(
            new[] { new OdeGenerator().AsSourceGenerator() },
            files,
            new CSharpParseOptions(LanguageVersion.Latest),
            new TestOptionsProvider(rootNamespace),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static InMemoryText File(string name, string text) => new(ModelsFolder + "/" + name, text);

    /// <summary>Runs the generator once; returns the output compilation and the generator's diagnostics.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Result) Run(params InMemoryText[] files)
    {
        GeneratorDriver driver = CreateDriver(files).RunGeneratorsAndUpdateCompilation(EmptyCompilation(), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>Runs the generator once on C# sources (for [OdeModel] classes) and .ode files.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Result) RunOnCSharp(
        IEnumerable<(string Path, string Text)> sources, params InMemoryText[] files)
    {
        CSharpCompilation input = EmptyCompilation().AddSyntaxTrees(sources.Select(source =>
            CSharpSyntaxTree.ParseText(source.Text, new CSharpParseOptions(LanguageVersion.Latest), source.Path)));
        GeneratorDriver driver = CreateDriver(files).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>Every compiler diagnostic of the output, warnings included (hidden and info ones excluded).</summary>
    public static IReadOnlyList<Diagnostic> CompileErrorsAndWarnings(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    public static byte[] Emit(Compilation output)
    {
        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = output.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        return stream.ToArray();
    }

    /// <summary>An additional file held in memory.</summary>
    public sealed class InMemoryText : AdditionalText
    {
        private readonly SourceText text;

        public InMemoryText(string path, string text)
        {
            Path = path;
            this.text = SourceText.From(text);
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => text;
    }

    private sealed class TestOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly Options global;

        public TestOptionsProvider(string? rootNamespace) =>
            global = new Options(rootNamespace is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["build_property.RootNamespace"] = rootNamespace });

        public override AnalyzerConfigOptions GlobalOptions => global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());
            private readonly Dictionary<string, string> values;

            public Options(Dictionary<string, string> values) => this.values = values;

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
