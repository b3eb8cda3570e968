using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Xunit;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// Property-based robustness (CsCheck): random mutations of the spec models — token deletions, swaps, duplications and
/// insertions from the language's vocabulary — never crash the generator, never make it report an internal error, and
/// always end in ODE diagnostics or generated code that compiles without errors or warnings; the other files of the
/// project still generate. CI runs <see cref="Iterations"/> cases (about half a minute); set
/// <c>ODEDSL_FUZZ_ITERATIONS</c> for a longer run, and CsCheck's <c>CsCheck_Seed</c> to replay a failure.
/// </summary>
public sealed class MutationFuzzTests
{
    private static readonly string[] SpecModels =
        { "lorenz.ode", "vanderpol.ode", "spiral.ode", "mlp_time.ode", "cnf2d.ode", "damped_pendulum.ode", "robertson.ode" };

    // Tokens to insert: keywords, built-ins, punctuation, names, numbers, and names C# or the generated code reserve.
    private static readonly string[] Vocabulary =
    {
        "model", "flow", "state", "param", "const", "layer", "let", "namespace", "linear", "t", "x", "y", "z", "W1", "d", "dt",
        "exp", "tanh", "softplus", "sum", "dot", "min", "norm", "normal", "zeros", "glorot", "~", "=", ";", ",", "(", ")", "[",
        "]", "{", "}", "+", "-", "*", "/", "^", "@", "**", ".", "0", "1.5", "1e-3", "2", "-7", "class", "forward", "Vjp", "int",
        "\n", "//", "/*",
    };

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("ODEDSL_FUZZ_ITERATIONS"), out int n) && n > 0 ? n : 60;

    private static readonly Regex TokenPattern = new(@"\s+|[A-Za-z_][A-Za-z0-9_]*|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|//[^\n]*|\*\*|.", RegexOptions.Compiled);

    private static List<string> Tokens(string text) => TokenPattern.Matches(text).Select(m => m.Value).ToList();

    private sealed record Mutation(int Kind, double Where, double Other, int Word);

    private static readonly Gen<Mutation> MutationGen =
        Gen.Select(Gen.Int[0, 3], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Int[0, Vocabulary.Length - 1], (k, w, o, v) => new Mutation(k, w, o, v));

    private static string Apply(string text, IEnumerable<Mutation> mutations)
    {
        List<string> tokens = Tokens(text);
        foreach (Mutation m in mutations)
        {
            if (tokens.Count == 0)
                break;
            int i = (int)(m.Where * (tokens.Count - 1)), j = (int)(m.Other * (tokens.Count - 1));
            switch (m.Kind)
            {
                case 0: tokens.RemoveAt(i); break;
                case 1: (tokens[i], tokens[j]) = (tokens[j], tokens[i]); break;
                case 2: tokens.Insert(i, tokens[j]); break;
                default: tokens.Insert(i, " " + Vocabulary[m.Word] + " "); break;
            }
        }
        return string.Concat(tokens);
    }

    [Fact]
    public void MutatedSpecModelsGiveDiagnosticsOrCompilingCodeNeverACrash()
    {
        var good = GeneratorHarness.File("good.ode", GeneratorHarness.SpecModel("lorenz.ode").Replace("model Lorenz", "model GoodLorenz"));
        int rejected = 0, accepted = 0;
        Gen.Select(Gen.Int[0, SpecModels.Length - 1], MutationGen.Array[1, 4]).Sample((model, mutations) =>
        {
            string mutated = Apply(GeneratorHarness.SpecModel(SpecModels[model]), mutations);
            var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("mutated.ode", mutated), good);
            var run = result.Results.Single();
            string context = $"\n--- mutated {SpecModels[model]} ---\n{mutated}\n---";
            Assert.True(run.Exception is null, $"generator threw {run.Exception}{context}");
            Assert.True(!diagnostics.Any(d => d.Id == "ODE9001"), $"internal error: {string.Join("; ", diagnostics)}{context}");
            Assert.True(diagnostics.All(d => d.Id.StartsWith("ODE", StringComparison.Ordinal)), $"non-ODE diagnostics: {string.Join("; ", diagnostics)}{context}");
            Assert.Contains(run.GeneratedSources, s => s.HintName.Contains("GoodLorenz", StringComparison.Ordinal));
            var compiled = GeneratorHarness.CompileErrorsAndWarnings(output).Where(d => !d.Id.StartsWith("ODE", StringComparison.Ordinal)).ToList();
            Assert.True(compiled.Count == 0, $"generated code does not compile cleanly: {string.Join("; ", compiled.Take(3))}{context}");
            if (diagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
                rejected++;
            else
                accepted++;
        }, iter: Iterations, threads: 1);

        // Not vacuous: the mutations reach both outcomes (most break the model, some still compile).
        Assert.True(rejected > 0 && accepted > 0, $"{rejected} mutants rejected with diagnostics, {accepted} generated code");
    }
}
