using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace OdeDsl.Tests.Shared;

/// <summary>
/// Random well-formed `.ode` models with tensor shapes, for property tests: a vector state <c>v[n]</c> and a scalar
/// state <c>s</c>, a matrix and a vector parameter drawn at random, a scalar parameter, a linear layer, and nested
/// expressions mixing elementwise built-ins, <c>@</c>, the layer, scalar broadcasting, slices and concatenation,
/// and reductions (sum, mean, dot, norm) — each with its own evaluation in doubles from the model's parameter values.
/// Deterministic for a seed.
/// </summary>
internal static class RandomVectorModels
{
    /// <summary>The values an expression reads: states, time, and the parameters by their .ode names.</summary>
    public sealed record Env(double[] V, double S, double T, IReadOnlyDictionary<string, double[]> Parameters, int N);

    public sealed record VectorExpr(string Text, Func<Env, double[]> Eval);

    public sealed record ScalarExpr(string Text, Func<Env, double> Eval);

    public sealed record RandomModel(string Name, string Text, int N, VectorExpr DvDt, ScalarExpr DsDt);

    public static RandomModel Build(int seed, string name)
    {
        var random = new Random(seed);
        int n = random.Next(2, 4);
        string Num(double x) => x < 0 ? $"({x.ToString("0.0#", CultureInfo.InvariantCulture)})" : x.ToString("0.0#", CultureInfo.InvariantCulture);

        double[] Map(double[] a, Func<double, double> f) => a.Select(f).ToArray();
        double[] Zip(double[] a, double[] b, Func<double, double, double> f) => a.Zip(b, f).ToArray();
        double[] MatVec(double[] m, double[] x, int rows, int cols) =>
            Enumerable.Range(0, rows).Select(i => Enumerable.Range(0, cols).Sum(j => m[i * cols + j] * x[j])).ToArray();
        double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

        VectorExpr VLeaf() => random.Next(3) switch
        {
            0 => new VectorExpr("b", e => e.Parameters["b"]),
            1 => new VectorExpr("(W @ v)", e => MatVec(e.Parameters["W"], e.V, e.N, e.N)),
            _ => new VectorExpr("v", e => e.V),
        };
        ScalarExpr SLeaf() => random.Next(4) switch
        {
            0 => new ScalarExpr("k", e => e.Parameters["k"][0]),
            1 => new ScalarExpr("t", e => e.T),
            2 => new ScalarExpr("s", e => e.S),
            _ => Literal(),
        };
        ScalarExpr Literal()
        {
            double x = Math.Round(random.NextDouble() * 3 - 1, 2);
            return new ScalarExpr(Num(x), _ => x);
        }
        VectorExpr V(int depth)
        {
            if (depth == 0 || random.Next(5) == 0)
                return VLeaf();
            VectorExpr a = V(depth - 1);
            switch (random.Next(12))
            {
                case 0: { VectorExpr b = V(depth - 1); return new VectorExpr($"({a.Text} + {b.Text})", e => Zip(a.Eval(e), b.Eval(e), (x, y) => x + y)); }
                case 1: { VectorExpr b = V(depth - 1); return new VectorExpr($"({a.Text} - {b.Text})", e => Zip(a.Eval(e), b.Eval(e), (x, y) => x - y)); }
                case 2: { VectorExpr b = V(depth - 1); return new VectorExpr($"({a.Text} * {b.Text})", e => Zip(a.Eval(e), b.Eval(e), (x, y) => x * y)); }
                case 3: { ScalarExpr c = S(depth - 1); return new VectorExpr($"({c.Text} * {a.Text})", e => Map(a.Eval(e), x => c.Eval(e) * x)); }
                case 4: return new VectorExpr($"tanh({a.Text})", e => Map(a.Eval(e), Math.Tanh));
                case 5: return new VectorExpr($"sigmoid({a.Text})", e => Map(a.Eval(e), Sigmoid));
                case 6: return new VectorExpr($"sin({a.Text})", e => Map(a.Eval(e), Math.Sin));
                case 7: return new VectorExpr($"(W @ {a.Text})", e => MatVec(e.Parameters["W"], a.Eval(e), e.N, e.N));
                case 8:
                    return new VectorExpr($"l({a.Text})", e => Zip(MatVec(e.Parameters["l.W"], a.Eval(e), e.N, e.N), e.Parameters["l.b"], (x, y) => x + y));
                case 9:
                    // A slice of the first element and of the rest, concatenated back in the other order.
                    return new VectorExpr($"[{a.Text}[1:{n}]; {a.Text}[0:1]]", e => { double[] x = a.Eval(e); return x.Skip(1).Append(x[0]).ToArray(); });
                case 10: return new VectorExpr($"softplus({a.Text})", e => Map(a.Eval(e), x => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)))));
                default: return new VectorExpr($"({a.Text} / (1.5 + {a.Text} * {a.Text}))", e => Map(a.Eval(e), x => x / (1.5 + x * x)));
            }
        }
        ScalarExpr S(int depth)
        {
            if (depth == 0 || random.Next(4) == 0)
                return SLeaf();
            switch (random.Next(7))
            {
                case 0: { VectorExpr a = V(depth - 1); return new ScalarExpr($"sum({a.Text})", e => a.Eval(e).Sum()); }
                case 1: { VectorExpr a = V(depth - 1); return new ScalarExpr($"mean({a.Text})", e => a.Eval(e).Average()); }
                case 2: { VectorExpr a = V(depth - 1), b = V(depth - 1); return new ScalarExpr($"dot({a.Text}, {b.Text})", e => a.Eval(e).Zip(b.Eval(e), (x, y) => x * y).Sum()); }
                case 3: { VectorExpr a = V(depth - 1); return new ScalarExpr($"norm({a.Text})", e => Math.Sqrt(a.Eval(e).Sum(x => x * x))); }
                case 4: { ScalarExpr a = S(depth - 1), b = S(depth - 1); return new ScalarExpr($"({a.Text} * {b.Text})", e => a.Eval(e) * b.Eval(e)); }
                case 5: { ScalarExpr a = S(depth - 1); return new ScalarExpr($"cos({a.Text})", e => Math.Cos(a.Eval(e))); }
                default:
                {
                    VectorExpr a = V(depth - 1);
                    int index = random.Next(n);
                    return new ScalarExpr($"{a.Text}[{index}]", e => a.Eval(e)[index]);
                }
            }
        }

        VectorExpr dv = V(4);
        ScalarExpr ds = S(3);
        string text = $@"model {name} {{
    state v[{n}], s;
    param W[{n}, {n}] ~ normal(0.0, 0.5);
    param b[{n}] ~ normal(0.0, 0.5);
    param k = {Math.Round(random.NextDouble() * 2 - 1, 2).ToString("0.0#", CultureInfo.InvariantCulture)};
    layer l = linear({n}, {n});
    dv/dt = {dv.Text};
    ds/dt = {ds.Text};
}}
";
        return new RandomModel(name, text, n, dv, ds);
    }
}
