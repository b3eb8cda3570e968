using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace OdeDsl.Tests.Shared;

/// <summary>
/// Random well-formed scalar `.ode` models for property tests (linked into the Language and Generator tests): 1–3
/// states, params, consts, lets and nested expressions over every operator and scalar built-in and t, each expression
/// with its own evaluation in doubles, so a compiled model can be held to it. Domains are kept safe (positive
/// denominators, logs and roots of positive values, bounded exponents). Deterministic for a seed.
/// </summary>
internal static class RandomScalarModels
{
    /// <summary>An expression: its .ode text and its value for given states, params, consts, lets and time.</summary>
    public sealed record Expr(string Text, Func<Env, double> Eval);

    public sealed record Env(double[] States, double[] Params, double[] Consts, double[] Lets, double T);

    /// <summary>A random model from a seed: the .ode text and the reference right-hand sides.</summary>
    public sealed record RandomModel(string Name, string Text, int States, double[] Params, double[] Consts, Expr[] Lets, Expr[] Derivatives);

    public static RandomModel Build(int seed, string name)
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

}
