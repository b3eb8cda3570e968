using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CsCheck;
using OdeDsl.Tests.Shared;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// Property-based tests of whole models (CsCheck): random well-formed scalar models (and, below, models with shapes) — states, params, consts, lets and
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

    [Fact]
    public void RandomModelsComputeTheirExpressionsAndTheirVjpsIsAutogradsOnForward()
    {
        Gen.Int[0, 1_000_000].Array[ModelsPerBatch].Sample(seeds =>
        {
            RandomScalarModels.RandomModel[] models = seeds.Select((seed, i) => RandomScalarModels.Build(seed, $"R{i}")).ToArray();
            string source = "namespace P;\n" + string.Concat(models.Select(m => m.Text));
            var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("random.ode", source));
            Assert.True(diagnostics.IsEmpty, $"{string.Join("; ", diagnostics)}\n{source}");
            Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
            var context = new System.Runtime.Loader.AssemblyLoadContext("OdeDsl.Generated.RandomModels", isCollectible: true);
            var assembly = context.LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
            try
            {
                foreach (RandomScalarModels.RandomModel m in models)
                    Check(m, assembly.GetType($"P.{m.Name}", throwOnError: true)!);
            }
            finally
            {
                context.Unload();
            }
        }, iter: Batches, threads: 1);
    }

    /// <summary>
    /// The same property for models with shapes: a vector and a scalar state, a random matrix, vector and scalar
    /// parameter, a linear layer, and expressions with @, the layer, broadcasting, slices, concatenation and
    /// reductions; the reference reads the parameters' drawn values from the model.
    /// </summary>
    [Fact]
    public void RandomTensorModelsComputeTheirExpressionsAndTheirVjpsIsAutogradsOnForward()
    {
        Gen.Int[0, 1_000_000].Array[ModelsPerBatch].Sample(seeds =>
        {
            RandomVectorModels.RandomModel[] models = seeds.Select((seed, i) => RandomVectorModels.Build(seed, $"V{i}")).ToArray();
            string source = "namespace P;\n" + string.Concat(models.Select(m => m.Text));
            var (output, diagnostics, _) = GeneratorHarness.Run(GeneratorHarness.File("random.ode", source));
            Assert.True(diagnostics.IsEmpty, $"{string.Join("; ", diagnostics)}\n{source}");
            Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
            var context = new System.Runtime.Loader.AssemblyLoadContext("OdeDsl.Generated.RandomTensorModels", isCollectible: true);
            var assembly = context.LoadFromStream(new System.IO.MemoryStream(GeneratorHarness.Emit(output)));
            try
            {
                foreach (RandomVectorModels.RandomModel m in models)
                    CheckTensorModel(m, assembly.GetType($"P.{m.Name}", throwOnError: true)!);
            }
            finally
            {
                context.Unload();
            }
        }, iter: Batches, threads: 1);
    }

    private static void CheckTensorModel(RandomVectorModels.RandomModel m, Type type)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(m.Text.Length);
        var model = (OdeModel)CompiledModels.DtypeConstructor(type).Invoke(new object?[] { ScalarType.Float64, null });
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().contiguous().data<double>().ToArray());
        var random = new Random(m.Text.Length);
        int width = m.N + 1;
        double[] states = Enumerable.Range(0, SamplesPerModel * width).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double time = 0.61;
        Tensor y = tensor(states, new long[] { SamplesPerModel, width }, float64);
        Tensor t = tensor(time, float64);

        double[] forward = model.forward(t, y).detach().contiguous().data<double>().ToArray();
        for (int b = 0; b < SamplesPerModel; b++)
        {
            double[] row = states.Skip(b * width).Take(width).ToArray();
            var env = new RandomVectorModels.Env(row.Take(m.N).ToArray(), row[m.N], time, parameters, m.N);
            double[] expected = m.DvDt.Eval(env).Append(m.DsDt.Eval(env)).ToArray();
            for (int i = 0; i < width; i++)
            {
                double actual = forward[b * width + i];
                Assert.True(Math.Abs(expected[i] - actual) <= 1e-11 * Math.Max(1, Math.Abs(expected[i])),
                    $"column {i} of sample {b}: generated {actual:R}, reference {expected[i]:R}\n{m.Text}");
            }
        }

        Tensor a = tensor(Enumerable.Range(0, SamplesPerModel * width).Select(_ => random.NextDouble() - 0.5).ToArray(), new long[] { SamplesPerModel, width }, float64);
        VjpResult vjp = ((IHasVjp)model).Vjp(t, y, a);
        using (enable_grad())
        {
            Tensor yg = y.detach().requires_grad_(true);
            Tensor f = model.forward(t, yg);
            Tensor[] all = model.parameters().Cast<Tensor>().ToArray();
            var grads = f.requires_grad
                ? torch.autograd.grad(new[] { f }, new[] { yg }.Concat(all).ToArray(), grad_outputs: new[] { a }, allow_unused: true)
                : null;
            Tensor Or0(Tensor? g, Tensor like) => g is null || g.IsInvalid ? zeros_like(like) : g;
            CompiledModels.AssertClose(Or0(grads?[0], y), vjp.State, $"aᵀ∂f/∂y of\n{m.Text}", 1e-10);
            for (int p = 0; p < all.Length; p++)
                CompiledModels.AssertClose(Or0(grads?[1 + p], all[p]), vjp.Parameters[p], $"aᵀ∂f/∂θ{p} of\n{m.Text}", 1e-10);
        }
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

    private static void Check(RandomScalarModels.RandomModel m, Type type)
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
                lets[l] = m.Lets[l].Eval(new RandomScalarModels.Env(row, m.Params, m.Consts, lets, time));
            var env = new RandomScalarModels.Env(row, m.Params, m.Consts, lets, time);
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
