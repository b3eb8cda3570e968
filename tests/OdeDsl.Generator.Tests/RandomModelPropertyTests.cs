using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CsCheck;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// Property-based tests of whole models (CsCheck): random well-formed scalar models — states, params, consts, lets and
/// nested expressions over every scalar operator and elementwise built-in, with t — are compiled by the generator and
/// held to an independent evaluation of the same expression trees in C# doubles (forward, float64, 1e-11 relative)
/// and to autograd on their own forward (Vjp). Each sample is a batch of models compiled together; a failure prints
/// the model text and CsCheck's seed. CI runs <see cref="Batches"/> batches; <c>ODEDSL_PROPERTY_BATCHES</c> runs more.
/// </summary>
public sealed class RandomModelPropertyTests
{
    private const int ModelsPerBatch = 6, SamplesPerModel = 5;

    private static int Batches =>
        int.TryParse(Environment.GetEnvironmentVariable("ODEDSL_PROPERTY_BATCHES"), out int n) && n > 0 ? n : 3;

    /// <summary>An expression: its .ode text and its value for given states, params, consts, lets and time.</summary>
    private sealed record Expr(string Text, Func<Env, double> Eval);

    private sealed record Env(double[] States, double[] Params, double[] Consts, double[] Lets, double T);

    /// <summary>A random model from a seed: the .ode text and the reference right-hand sides.</summary>
    private sealed record RandomModel(string Name, string Text, int States, double[] Params, double[] Consts, Expr[] Lets, Expr[] Derivatives);

    private static RandomModel Build(int seed, string name)
    {
        var random = new Random(seed);
        int states = random.Next(1, 4), parameters = random.Next(0, 3), constants = random.Next(0, 2), lets = random.Next(0, 3);
        double[] ps = Enumerable.Range(0, parameters).Select(_ => Math.Round(random.NextDouble() * 4 - 2, 3)).ToArray();
        double[] cs = Enumerable.Range(0, constants).Select(_ => Math.Round(random.NextDouble() * 3 + 0.25, 3)).ToArray();
        var letExprs = new List<Expr>();
        Expr Leaf()
        {
            int kind = random.Next(5);
            if (kind == 0 && parameters > 0) { int j = random.Next(parameters); return new Expr($"p{j}", e => e.Params[j]); }
            if (kind == 1 && constants > 0) { int k = random.Next(constants); return new Expr($"c{k}", e => e.Consts[k]); }
            if (kind == 2 && letExprs.Count > 0) { int l = random.Next(letExprs.Count); return new Expr($"a{l}", e => e.Lets[l]); }
            if (kind == 3) return new Expr("t", e => e.T);
            if (kind == 4)
            {
                // A negative literal in parentheses: -0.3 ^ 2 is −(0.3²) in the language, as in mathematics.
                double v = Math.Round(random.NextDouble() * 3 - 1, 2);
                string literal = v.ToString("0.0#", CultureInfo.InvariantCulture);
                return new Expr(v < 0 ? $"({literal})" : literal, _ => v);
            }
            int i = random.Next(states);
            return new Expr($"x{i}", e => e.States[i]);
        }
        Expr Node(int depth)
        {
            if (depth == 0 || random.Next(4) == 0)
                return Leaf();
            Expr a = Node(depth - 1), b = Node(depth - 1);
            // Domains kept safe: positive denominators, logs and square roots of positive values, bounded exponents.
            return random.Next(22) switch
            {
                0 => new Expr($"({a.Text} + {b.Text})", e => a.Eval(e) + b.Eval(e)),
                1 => new Expr($"({a.Text} - {b.Text})", e => a.Eval(e) - b.Eval(e)),
                2 => new Expr($"({a.Text} * {b.Text})", e => a.Eval(e) * b.Eval(e)),
                3 => new Expr($"({a.Text} / (1.5 + {b.Text} * {b.Text}))", e => a.Eval(e) / (1.5 + b.Eval(e) * b.Eval(e))),
                4 => new Expr($"(-{a.Text})", e => -a.Eval(e)),
                5 => new Expr($"({a.Text} ^ 2)", e => Math.Pow(a.Eval(e), 2)),
                6 => new Expr($"(tanh({a.Text}) ^ 3)", e => Math.Pow(Math.Tanh(a.Eval(e)), 3)),
                7 => new Expr($"sin({a.Text})", e => Math.Sin(a.Eval(e))),
                8 => new Expr($"cos({a.Text})", e => Math.Cos(a.Eval(e))),
                9 => new Expr($"tanh({a.Text})", e => Math.Tanh(a.Eval(e))),
                10 => new Expr($"sigmoid({a.Text})", e => 1 / (1 + Math.Exp(-a.Eval(e)))),
                11 => new Expr($"exp(tanh({a.Text}))", e => Math.Exp(Math.Tanh(a.Eval(e)))),
                12 => new Expr($"log(1.25 + {a.Text} * {a.Text})", e => Math.Log(1.25 + a.Eval(e) * a.Eval(e))),
                13 => new Expr($"sqrt(0.5 + abs({a.Text}))", e => Math.Sqrt(0.5 + Math.Abs(a.Eval(e)))),
                14 => new Expr($"softplus({a.Text})", e => Math.Max(a.Eval(e), 0) + Math.Log(1 + Math.Exp(-Math.Abs(a.Eval(e))))),
                15 => new Expr($"elu({a.Text})", e => a.Eval(e) > 0 ? a.Eval(e) : Math.Exp(a.Eval(e)) - 1),
                16 => new Expr($"relu({a.Text})", e => Math.Max(a.Eval(e), 0)),
                17 => new Expr($"abs({a.Text})", e => Math.Abs(a.Eval(e))),
                18 => new Expr($"min({a.Text}, {b.Text})", e => Math.Min(a.Eval(e), b.Eval(e))),
                19 => new Expr($"max({a.Text}, {b.Text})", e => Math.Max(a.Eval(e), b.Eval(e))),
                20 => new Expr($"tan(0.5 * tanh({a.Text}))", e => Math.Tan(0.5 * Math.Tanh(a.Eval(e)))),
                _ => new Expr($"({a.Text} * {b.Text} + {a.Text})", e => a.Eval(e) * b.Eval(e) + a.Eval(e)),
            };
        }
        for (int l = 0; l < lets; l++)
            letExprs.Add(Node(3));
        Expr[] derivatives = Enumerable.Range(0, states).Select(_ => Node(4)).ToArray();

        var lines = new List<string> { "state " + string.Join(", ", Enumerable.Range(0, states).Select(i => $"x{i}")) + ";" };
        lines.AddRange(ps.Select((v, j) => $"param p{j} = {v.ToString("0.0##", CultureInfo.InvariantCulture)};"));
        lines.AddRange(cs.Select((v, k) => $"const c{k} = {v.ToString("0.0##", CultureInfo.InvariantCulture)};"));
        lines.AddRange(letExprs.Select((e, l) => $"let a{l} = {e.Text};"));
        lines.AddRange(derivatives.Select((e, i) => $"dx{i}/dt = {e.Text};"));
        string text = $"model {name} {{\n    " + string.Join("\n    ", lines) + "\n}\n";
        return new RandomModel(name, text, states, ps, cs, letExprs.ToArray(), derivatives);
    }

    [Fact]
    public void RandomModelsComputeTheirExpressionsAndTheirVjpsIsAutogradsOnForward()
    {
        Gen.Int[0, 1_000_000].Array[ModelsPerBatch].Sample(seeds =>
        {
            RandomModel[] models = seeds.Select((seed, i) => Build(seed, $"R{i}")).ToArray();
            string source = "namespace P;\n" + string.Concat(models.Select(m => m.Text));
            var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("random.ode", source));
            Assert.True(diagnostics.IsEmpty, $"{string.Join("; ", diagnostics)}\n{source}");
            Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
            var context = new System.Runtime.Loader.AssemblyLoadContext("OdeDsl.Generated.RandomModels", isCollectible: true);
            var assembly = context.LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
            try
            {
                foreach (RandomModel m in models)
                    Check(m, assembly.GetType($"P.{m.Name}", throwOnError: true)!);
            }
            finally
            {
                context.Unload();
            }
        }, iter: Batches, threads: 1);
    }

    /// <summary>Found by the property above (in its own generator): a unary minus binds looser than ^, so −0.3 ^ 2 = −0.09.</summary>
    [Fact]
    public void UnaryMinusBindsLooserThanPower()
    {
        var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("minus.ode", "namespace P; model Minus { state x; dx/dt = -0.3 ^ 2 + 0 * x; }"));
        Assert.Empty(diagnostics);
        var assembly = new System.Runtime.Loader.AssemblyLoadContext("OdeDsl.Generated.Minus", isCollectible: true)
            .LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
        using var scope = NewDisposeScope();
        var model = (OdeModel)CompiledModels.DtypeConstructor(assembly.GetType("P.Minus", throwOnError: true)!).Invoke(new object?[] { ScalarType.Float64, null });
        Assert.Equal(-0.09, model.forward(tensor(0.0, float64), ones(1, 1, float64))[0, 0].item<double>(), 15);
    }

    private static void Check(RandomModel m, Type type)
    {
        using var scope = NewDisposeScope();
        var model = (OdeModel)CompiledModels.DtypeConstructor(type).Invoke(
            new object?[] { ScalarType.Float64, null }.Concat(m.Consts.Select(c => (object?)c)).ToArray());
        var random = new Random(m.Text.Length);
        double[] states = Enumerable.Range(0, SamplesPerModel * m.States).Select(_ => random.NextDouble() * 3 - 1.5).ToArray();
        double time = 0.37;
        Tensor y = tensor(states, new long[] { SamplesPerModel, m.States }, float64);
        Tensor t = tensor(time, float64);

        // forward against the expression trees, evaluated in doubles
        double[] forward = model.forward(t, y).detach().contiguous().data<double>().ToArray();
        for (int b = 0; b < SamplesPerModel; b++)
        {
            double[] row = states.Skip(b * m.States).Take(m.States).ToArray();
            var lets = new double[m.Lets.Length];
            for (int l = 0; l < lets.Length; l++)
                lets[l] = m.Lets[l].Eval(new Env(row, m.Params, m.Consts, lets, time));
            var env = new Env(row, m.Params, m.Consts, lets, time);
            for (int i = 0; i < m.States; i++)
            {
                double expected = m.Derivatives[i].Eval(env), actual = forward[b * m.States + i];
                Assert.True(Math.Abs(expected - actual) <= 1e-11 * Math.Max(1, Math.Abs(expected)),
                    $"d{i}/dt of sample {b}: generated {actual:R}, reference {expected:R}\n{m.Text}");
            }
        }

        // Vjp against autograd on the generated forward
        Tensor a = tensor(Enumerable.Range(0, SamplesPerModel * m.States).Select(_ => random.NextDouble() - 0.5).ToArray(), new long[] { SamplesPerModel, m.States }, float64);
        VjpResult vjp = ((IHasVjp)model).Vjp(t, y, a);
        using (enable_grad())
        {
            Tensor yg = y.detach().requires_grad_(true);
            Tensor f = model.forward(t, yg);
            Tensor[] parameters = model.parameters().Cast<Tensor>().ToArray();
            // A model whose f reads neither the state nor a parameter has no graph (autograd.grad would abort).
            var grads = f.requires_grad
                ? torch.autograd.grad(new[] { f }, new[] { yg }.Concat(parameters).ToArray(), grad_outputs: new[] { a }, allow_unused: true)
                : null;
            Tensor Or0(Tensor? g, Tensor like) => g is null || g.IsInvalid ? zeros_like(like) : g;
            CompiledModels.AssertClose(Or0(grads?[0], y), vjp.State, $"aᵀ∂f/∂y of\n{m.Text}", 1e-10);
            for (int p = 0; p < parameters.Length; p++)
                CompiledModels.AssertClose(Or0(grads?[1 + p], parameters[p]), vjp.Parameters[p], $"aᵀ∂f/∂p{p} of\n{m.Text}", 1e-10);
        }
    }
}
