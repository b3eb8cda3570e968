using System;
using System.Linq;
using OdeDsl.Peers;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Ode.SolveAdjoint: gradients by integrating the adjoint system backwards (torchdiffeq's odeint_adjoint semantics),
/// checked against analytic sensitivities, against backpropagation through the steps, and against the numbers of
/// evaluations and gradients torchdiffeq recorded on the peer problems.
/// </summary>
public class AdjointTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void AdjointGradientsMatchTheAnalyticSensitivities()
    {
        using var scope = NewDisposeScope();
        using var model = new Rate(-0.7);
        var y0 = full(3, 1, 1.3, ScalarType.Float64, requires_grad: true);
        var ts = tensor(new[] { 0.0, 0.5, 2.0 });

        var solution = Ode.SolveAdjoint(model, y0, ts, new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12 });
        // L = Σ_b y_b(0.5) + Σ_b y_b(2): gradients from two output times.
        (solution.Ys[1].sum() + solution.Ys[2].sum()).backward();

        double g05 = Math.Exp(-0.35), g2 = Math.Exp(-1.4);
        foreach (double g in y0.grad!.data<double>().ToArray())
            Assert.Equal(g05 + g2, g, 1e-8);
        Assert.Equal(3 * 1.3 * (0.5 * g05 + 2 * g2), model.Lambda.grad!.item<double>(), 1e-7);
        Assert.NotNull(solution.BackwardStats);
        Assert.True(solution.BackwardStats!.FunctionEvaluations > 0);
        Assert.Null(solution.BackwardFailure);
    }

    [Fact]
    public void AdjointGradientsMatchBackpropagationThroughTheSteps()
    {
        using var scope = NewDisposeScope();
        var y0Values = new[] { 1.0, 1.0, 1.0, -3.0, 2.0, 20.0 };
        var ts = tensor(new[] { 0.0, 0.3, 0.6 });
        var options = new SolverOptions { RelTol = 1e-11, AbsTol = 1e-11 };

        (double[] Y0, double[] Parameters) Gradients(bool adjoint)
        {
            using var model = new TrainableLorenz();
            var y0 = tensor(y0Values, new long[] { 2, 3 }, requires_grad: true);
            var solution = adjoint ? Ode.SolveAdjoint(model, y0, ts, options) : Ode.Solve(model, y0, ts, options);
            solution.Ys.square().mean().backward();
            return (y0.grad!.data<double>().ToArray(), model.parameters().Select(p => p.grad!.item<double>()).ToArray());
        }

        var direct = Gradients(adjoint: false);
        var adjoint = Gradients(adjoint: true);
        for (int i = 0; i < direct.Y0.Length; i++)
            Assert.Equal(direct.Y0[i], adjoint.Y0[i], 1e-6 * Math.Max(1, Math.Abs(direct.Y0[i])));
        for (int i = 0; i < 3; i++)
            Assert.Equal(direct.Parameters[i], adjoint.Parameters[i], 1e-6 * Math.Max(1, Math.Abs(direct.Parameters[i])));
    }

    /// <summary>
    /// P1 c-train-adjoint (PROBLEMS.md §3, §9): one training iteration of the closed-form spiral network with the
    /// adjoint. torchdiffeq 0.2.5: 146 evaluations (20 forward + 126 backward), loss 0.0990572944, gradient norm
    /// 0.0393856548.
    /// </summary>
    [Fact]
    public void P1TrainingIterationMatchesTorchdiffeqAdjoint()
    {
        using var scope = NewDisposeScope();
        using var truth = new SpiralTrue(ScalarType.Float32);
        var (y0, ts) = (tensor(new[] { 2.0f, 0.0f }, new long[] { 1, 2 }), linspace(0, 25, 1000, ScalarType.Float32));
        Tensor trueY;
        using (no_grad())
            trueY = Ode.Solve(truth, y0, ts).Ys.squeeze(1);
        long[] starts = Enumerable.Range(0, 20).Select(k => 7L + 49 * k).ToArray();
        Tensor index = tensor(starts);
        Tensor batchY0 = trueY.index_select(0, index);
        Tensor batchY = stack(Enumerable.Range(0, 10).Select(i => trueY.index_select(0, index + i)), 0);

        using var model = new SpiralNet(ScalarType.Float32);
        var solution = Ode.SolveAdjoint(model, batchY0, ts[..10]);
        Tensor loss = (solution.Ys - batchY).abs().mean();
        loss.backward();
        double gradNorm = Math.Sqrt(model.parameters().Sum(p => p.grad!.to(ScalarType.Float64).square().sum().item<double>()));

        output.WriteLine($"forward {solution.Stats}; backward {solution.BackwardStats}; loss {loss.item<float>():R}; grad norm {gradNorm:R}");
        Assert.Equal(20, solution.Stats.FunctionEvaluations);
        Assert.InRange(solution.BackwardStats!.FunctionEvaluations, 120, 132);
        Assert.Equal(0.0990572944, loss.item<float>(), 1e-6);
        Assert.Equal(0.0393856548, gradNorm, 1e-6);
    }

    /// <summary>
    /// P2 grad-adjoint in float64 (PROBLEMS.md §4, §9): L = Σ y(10) over 1024 Lorenz trajectories, gradients for σ, ρ, β
    /// by the adjoint. torchdiffeq: 3158 forward + 5426 backward evaluations. (The gradients themselves are chaotic
    /// and compared only in magnitude, as the peers advise.)
    /// </summary>
    [Fact]
    public void P2LorenzAdjointTakesTorchdiffeqsNumberOfEvaluations()
    {
        using var scope = NewDisposeScope();
        const int batch = 1024;
        var values = new double[batch * 3];
        for (int i = 0; i < batch; i++)
        {
            values[3 * i] = 10.0 * Math.Sin(1.1 * i + 0.3);
            values[3 * i + 1] = 10.0 * Math.Sin(0.7 * i + 1.9);
            values[3 * i + 2] = 25.0 + 10.0 * Math.Sin(0.4 * i + 0.5);
        }
        using var model = new TrainableLorenz();
        var solution = Ode.SolveAdjoint(model, tensor(values, new long[] { batch, 3 }), linspace(0.0, 10.0, 101, ScalarType.Float64),
            new SolverOptions { RelTol = 1e-6, AbsTol = 1e-8 });
        solution.Ys[-1].sum().backward();

        output.WriteLine($"forward {solution.Stats}; backward {solution.BackwardStats}");
        Assert.Equal(3158, solution.Stats.FunctionEvaluations);
        Assert.InRange(solution.BackwardStats!.FunctionEvaluations, 5372, 5480);
        double sigma = model.parameters().First().grad!.item<double>();
        Assert.InRange(Math.Abs(sigma), 1e6, 1e9);
    }

    /// <summary>
    /// The compiled spiral.ode network brings generated vector–Jacobian products; the hand-written one goes through
    /// autograd. Same weights, same steps: the adjoint gradients must agree (float64).
    /// </summary>
    [Fact]
    public void GeneratedVjpsGiveTheGradientsOfAutograd()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new[] { 2.0, 0.0, 0.5, -1.0 }, new long[] { 2, 2 });
        var ts = linspace(0, 2, 5, ScalarType.Float64);
        var options = new SolverOptions { RelTol = 1e-9, AbsTol = 1e-11 };

        using var compiled = new Examples.Neural.Spiral();
        compiled.to(ScalarType.Float64);
        using (no_grad())
        {
            compiled.get_parameter("W1")!.copy_(tensor(PeerNetworks.SinMatrix(50, 2, 0.14, 0.1), new long[] { 50, 2 }));
            compiled.get_parameter("b1")!.zero_();
            compiled.get_parameter("W2")!.copy_(tensor(PeerNetworks.SinMatrix(2, 50, 0.14, 0.2), new long[] { 2, 50 }));
            compiled.get_parameter("b2")!.zero_();
        }
        Assert.NotNull(compiled.Vjp(tensor(0.0), y0, ones_like(y0)));
        var generated = Ode.SolveAdjoint(compiled, y0, ts, options);
        generated.Ys.square().sum().backward();

        using var handWritten = new SpiralNet(ScalarType.Float64);
        var viaAutograd = Ode.SolveAdjoint(handWritten, y0, ts, options);
        viaAutograd.Ys.square().sum().backward();

        Assert.Equal(viaAutograd.BackwardStats!.FunctionEvaluations, generated.BackwardStats!.FunctionEvaluations);
        double[] expected = handWritten.parameters().SelectMany(p => p.grad!.data<double>().ToArray()).ToArray();
        double[] actual = compiled.parameters().SelectMany(p => p.grad!.data<double>().ToArray()).ToArray();
        double scale = expected.Max(Math.Abs);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() < 1e-10 * scale);
    }

    [Fact]
    public void TheSeminormSavesBackwardEvaluationsAtTheSameGradient()
    {
        using var scope = NewDisposeScope();
        (double[] Gradients, long Evaluations) Run(bool seminorm)
        {
            using var model = new SpiralNet(ScalarType.Float64);
            var y0 = tensor(new[] { 2.0, 0.0, 0.5, -1.0 }, new long[] { 2, 2 });
            var solution = Ode.SolveAdjoint(model, y0, linspace(0, 2, 5, ScalarType.Float64),
                new SolverOptions { RelTol = 1e-8, AbsTol = 1e-10, Adjoint = new AdjointOptions { Seminorm = seminorm } });
            solution.Ys.square().sum().backward();
            return (model.parameters().SelectMany(p => p.grad!.data<double>().ToArray()).ToArray(), solution.BackwardStats!.FunctionEvaluations);
        }

        var full = Run(seminorm: false);
        var semi = Run(seminorm: true);
        output.WriteLine($"backward evaluations: full norm {full.Evaluations}, seminorm {semi.Evaluations}");
        Assert.True(semi.Evaluations < full.Evaluations);
        double scale = full.Gradients.Max(Math.Abs);
        Assert.True(full.Gradients.Zip(semi.Gradients, (a, b) => Math.Abs(a - b)).Max() < 1e-5 * scale);
    }

    /// <summary>
    /// With 100 output times the backward solve is 99 intervals; a fresh initial-step selection in each costs an
    /// evaluation and the ramp-up steps after it. Carrying the step size over must save evaluations at the same
    /// gradients (y' = λy, and the spiral network at the peer problem's default tolerances).
    /// </summary>
    [Fact]
    public void CarryingTheStepSizeAcrossOutputTimesSavesBackwardEvaluations()
    {
        using var scope = NewDisposeScope();
        var ts = linspace(0.0, 5.0, 100, ScalarType.Float64);

        (double[] Gradients, SolverStats Forward, SolverStats Backward) Rates(bool carry)
        {
            using var model = new Rate(-0.7);
            var y0 = tensor(new[] { 1.3, -0.4 }, new long[] { 2, 1 }, requires_grad: true);
            var solution = Ode.SolveAdjoint(model, y0, ts, new SolverOptions { Adjoint = new AdjointOptions { CarryStepSize = carry } });
            solution.Ys.square().sum().backward();
            return (y0.grad!.data<double>().Append(model.Lambda.grad!.item<double>()).ToArray(), solution.Stats, solution.BackwardStats!);
        }

        (double[] Gradients, SolverStats Forward, SolverStats Backward) Spiral(bool carry)
        {
            using var model = new SpiralNet(ScalarType.Float64);
            var y0 = tensor(new[] { 2.0, 0.0, 0.5, -1.0 }, new long[] { 2, 2 });
            var solution = Ode.SolveAdjoint(model, y0, ts, new SolverOptions { Adjoint = new AdjointOptions { CarryStepSize = carry } });
            solution.Ys.square().sum().backward();
            return (model.parameters().SelectMany(p => p.grad!.data<double>().ToArray()).ToArray(), solution.Stats, solution.BackwardStats!);
        }

        foreach (var (name, run) in new[] { ("y' = λy", (Func<bool, (double[], SolverStats, SolverStats)>)Rates), ("spiral net", Spiral) })
        {
            var (freshGradients, forward, fresh) = run(false);
            var (carriedGradients, _, carried) = run(true);
            output.WriteLine($"{name}: forward {forward}; backward fresh {fresh}; carried {carried}");
            Assert.True(carried.FunctionEvaluations < fresh.FunctionEvaluations, $"{name}: {carried} vs {fresh}");
            double scale = freshGradients.Max(Math.Abs);
            Assert.True(freshGradients.Zip(carriedGradients, (a, b) => Math.Abs(a - b)).Max() < 1e-5 * scale, name);
        }
    }

    [Fact]
    public void AFailedBackwardSolveGivesNaNGradientsAndSaysWhy()
    {
        using var scope = NewDisposeScope();
        using var model = new Rate(-0.7);
        var y0 = ones(1, 1, ScalarType.Float64, requires_grad: true);
        var solution = Ode.SolveAdjoint(model, y0, tensor(new[] { 0.0, 50.0 }),
            new SolverOptions { RelTol = 1e-4, AbsTol = 1e-6, MaxSteps = 200, Adjoint = new AdjointOptions { RelTol = 1e-13, AbsTol = 1e-15 } });
        solution.Ys.sum().backward();

        Assert.NotNull(solution.BackwardFailure);
        Assert.Equal(OdeFailure.MaxStepsExceeded, solution.BackwardFailure!.Failure);
        Assert.Contains("(adjoint)", solution.BackwardFailure.Message);
        Assert.True(double.IsNaN(y0.grad!.item<double>()));
    }

    [Fact]
    public void TheBackwardSolveLeavesNoTensorBehind()
    {
        using var model = new Rate(-0.7);
        var y0 = ones(2, 1, ScalarType.Float64, requires_grad: true);
        var ts = linspace(0.0, 5.0, 20, ScalarType.Float64);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (NewDisposeScope())
        {
            var solution = Ode.SolveAdjoint(model, y0, ts, new SolverOptions { RelTol = 1e-10, AbsTol = 1e-12 });
            solution.Ys.sum().backward();
            Assert.True(solution.BackwardStats!.AttemptedSteps > 100);
        }
        // What is left: the gradients of y0 and λ, created by autograd.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.InRange(DisposeScopeManager.Statistics.ThreadTotalLiveCount - before, 0, 4);
    }

    [Fact]
    public void AdjointRejectsBadBackwardTolerancesNamingTheOption()
    {
        using var scope = NewDisposeScope();
        using var model = new Rate(-0.7);
        var y0 = ones(2, 1, ScalarType.Float64);
        var ts = tensor(new[] { 0.0, 1.0 });
        var e = Assert.Throws<ArgumentException>(() => Ode.SolveAdjoint(model, y0, ts, new SolverOptions { Adjoint = new AdjointOptions { AbsTol = 0 } }));
        Assert.Contains("Adjoint.AbsTol must be a finite number > 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => Ode.SolveAdjoint(model, y0, ts,
            new SolverOptions { Adjoint = new AdjointOptions { RelTol = tensor(new[] { 1e-6, 1e-6, 1e-6 }) } }));
        Assert.Contains("Adjoint.RelTol must be a number, a [D] tensor", e.Message);
        e = Assert.Throws<ArgumentException>(() => Ode.SolveAdjoint(model, y0, ts,
            new SolverOptions { Adjoint = new AdjointOptions { AbsTol = tensor(new[] { -1e-6 }) } }));
        Assert.Contains("Adjoint.AbsTol must contain only finite numbers > 0", e.Message);
    }

    private sealed class Rate : nn.Module<Tensor, Tensor, Tensor>
    {
        public Rate(double lambda) : base(nameof(Rate))
        {
            Lambda = new Parameter(tensor(lambda, ScalarType.Float64));
            RegisterComponents();
        }

        public Parameter Lambda { get; }

        public override Tensor forward(Tensor t, Tensor y) => y * Lambda;
    }
}
