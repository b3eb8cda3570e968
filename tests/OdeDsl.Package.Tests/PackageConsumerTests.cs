using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace OdeDsl.Package.Tests;

/// <summary>
/// Packs the OdeDsl package into a folder feed and builds and runs a fresh project outside the repository that uses it
/// as a user would: one PackageReference, a .ode model, no Import lines, no Directory.Build.props of ours.
/// </summary>
public sealed class PackageConsumerTests
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(5);
    private readonly ITestOutputHelper _output;

    public PackageConsumerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void AFreshProjectCompilesAModelFromThePackageAndSolvesIt()
    {
        string repoRoot = RepoRoot();
        string work = Path.Combine(Path.GetTempPath(), "odedsl-package-test-" + Guid.NewGuid().ToString("N")[..12]);
        string feed = Path.Combine(work, "feed");
        string consumer = Path.Combine(work, "consumer");
        Directory.CreateDirectory(Path.Combine(consumer, "Models"));
        bool passed = false;
        try
        {
            // A version of its own for every run, so that no package cache can hand back an older build.
            string version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            Run(repoRoot, "dotnet", "pack", Path.Combine(repoRoot, "src", "Runtime", "OdeDsl.Runtime.csproj"),
                "--no-build", "-c", Configuration, "-o", feed, $"-p:PackageVersion={version}",
                $"-p:NuspecOutputPath={Path.Combine(work, "nuspec")}{Path.DirectorySeparatorChar}");
            Assert.True(File.Exists(Path.Combine(feed, $"OdeDsl.{version}.nupkg")), "no .nupkg in the feed");
            Assert.True(File.Exists(Path.Combine(feed, $"OdeDsl.{version}.snupkg")), "no .snupkg in the feed");
            using (ZipArchive package = ZipFile.OpenRead(Path.Combine(feed, $"OdeDsl.{version}.nupkg")))
            {
                var entries = package.Entries.Select(e => e.FullName).ToHashSet();
                foreach (string expected in new[] {
                    "lib/net10.0/OdeDsl.Runtime.dll", "README.md",
                    // An analyzer gets no NuGet dependencies: everything the generator loads is beside it.
                    "analyzers/dotnet/cs/OdeDsl.Generator.dll", "analyzers/dotnet/cs/OdeDsl.Language.dll",
                    "analyzers/dotnet/cs/Antlr4.Runtime.Standard.dll",
                    "build/OdeDsl.props", "build/OdeDsl.targets", "build/WeakenGlibcxxVersionNeed.cs",
                    "buildTransitive/OdeDsl.props", "buildTransitive/OdeDsl.targets", "buildTransitive/WeakenGlibcxxVersionNeed.cs" })
                    Assert.True(entries.Contains(expected), $"the package lacks {expected}; it has {string.Join(", ", entries.Order())}");
                using var nuspec = new StreamReader(package.GetEntry("OdeDsl.nuspec")!.Open());
                string metadata = nuspec.ReadToEnd();
                Assert.Contains("<dependency id=\"TorchSharp\"", metadata);
                Assert.DoesNotContain("OdeDsl.", metadata.Split("<dependencies>")[1]);   // no second package
            }

            foreach (string name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
                for (DirectoryInfo? d = new DirectoryInfo(consumer); d != null; d = d.Parent)
                    Assert.False(File.Exists(Path.Combine(d.FullName, name)), $"{d.FullName} has a {name}: the consumer would not be fresh");

            // The machine's package sources (as a user has them), plus the local feed.
            List<string> sources = MachineSources(consumer);
            string machinePackages = Run(consumer, "dotnet", "nuget", "locals", "global-packages", "--list")
                .Split(':', 2)[1].Trim();
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), NuGetConfig(feed, sources, Path.Combine(work, "packages"), machinePackages));
            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), ConsumerProject(version));
            File.WriteAllText(Path.Combine(consumer, "Models", "oscillator.ode"), OscillatorModel);
            File.WriteAllText(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

            Run(consumer, "dotnet", "build", "-c", "Release");
            string printed = Run(consumer, "dotnet", Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll"));

            // x'' = -omega^2 x from x = 1, v = 0: x(1) = cos(2).
            string line = printed.Split('\n').Single(l => l.StartsWith("x(1) = ", StringComparison.Ordinal));
            double x = double.Parse(line["x(1) = ".Length..].Trim(), CultureInfo.InvariantCulture);
            Assert.InRange(x, Math.Cos(2.0) - 1e-7, Math.Cos(2.0) + 1e-7);
            passed = true;
        }
        finally
        {
            if (passed)
                Directory.Delete(work, recursive: true);
            else
                _output.WriteLine($"Left {work} for inspection.");
        }
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private const string OscillatorModel = """
        // A harmonic oscillator: x'' = -omega^2 x.
        model Oscillator {
            state x, v;
            param omega = 2.0;

            dx/dt = v;
            dv/dt = -omega * omega * x;
        }

        """;

    private const string ConsumerProgram = """
        using System.Globalization;
        using OdeDsl;
        using static TorchSharp.torch;

        // Oscillator comes from Models/oscillator.ode (no namespace line: the project's root namespace).
        var model = new Consumer.Oscillator(float64, null);
        Tensor y0 = tensor(new double[] { 1.0, 0.0 }, float64).reshape(1, 2);
        Tensor ts = tensor(new double[] { 0.0, 1.0 }, float64);
        OdeSolution solution = Ode.Solve(model, y0, ts, new SolverOptions { RelTol = 1e-9, AbsTol = 1e-11 });
        double x = solution.Ys[1, 0, 0].item<double>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"x(1) = {x:R}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact  {Math.Cos(2.0):R}"));

        """;

    private static string ConsumerProject(string version) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="OdeDsl" Version="{version}" />
          </ItemGroup>
        </Project>

        """;

    /// <summary>
    /// The local feed first, then the machine's sources. Packages are restored into the test's own folder, with the
    /// machine's package folder as a read-only fallback (TorchSharp and libtorch are not fetched again).
    /// </summary>
    private static string NuGetConfig(string feed, List<string> sources, string packages, string machinePackages)
    {
        var config = new StringBuilder();
        config.AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        config.AppendLine("<configuration>");
        config.AppendLine("  <packageSources>");
        config.AppendLine("    <clear />");
        config.AppendLine($"    <add key=\"odedsl-local\" value=\"{feed}\" />");
        for (int i = 0; i < sources.Count; i++)
            config.AppendLine($"    <add key=\"machine-{i}\" value=\"{sources[i]}\" />");
        config.AppendLine("  </packageSources>");
        config.AppendLine($"  <config><add key=\"globalPackagesFolder\" value=\"{packages}\" /></config>");
        config.AppendLine($"  <fallbackPackageFolders><add key=\"machine\" value=\"{machinePackages}\" /></fallbackPackageFolders>");
        config.AppendLine("</configuration>");
        return config.ToString();
    }

    /// <summary>The enabled sources of the machine's NuGet configuration (asked before the consumer has its own).</summary>
    private List<string> MachineSources(string directory)
    {
        string listed = Run(directory, "dotnet", "nuget", "list", "source", "--format", "Short");
        var sources = new List<string>();
        foreach (string raw in listed.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("E ", StringComparison.Ordinal))
                sources.Add(line[2..].Trim());
        }
        Assert.NotEmpty(sources);
        return sources;
    }

    private static string RepoRoot() =>
        typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>Runs a command to completion; its output goes into the failure message if it fails.</summary>
    private string Run(string directory, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        // What `dotnet test` puts in the test host's environment for its own MSBuild must not steer the child's.
        foreach (string name in start.Environment.Keys.Where(k =>
                     k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        // No build servers: a node or compiler server left running would hold the redirected output open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var stopwatch = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(CommandLimit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{fileName} {string.Join(' ', arguments)}` ran past {CommandLimit}:\n{output}");
        }
        process.WaitForExit();
        string text;
        lock (output)
            text = output.ToString();
        _output.WriteLine($"$ {fileName} {string.Join(' ', arguments)}   ({stopwatch.Elapsed.TotalSeconds:F1} s, exit {process.ExitCode})");
        _output.WriteLine(text);
        Assert.True(process.ExitCode == 0, $"`{fileName} {string.Join(' ', arguments)}` in {directory} exited {process.ExitCode}:\n{text}");
        return text;
    }
}
