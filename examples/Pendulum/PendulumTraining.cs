using System;
using System.Collections.Generic;
using System.Linq;
using OdeDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Examples.Pendulum;

/// <summary>One evaluation during training: the trajectory MSE, the learned g, and how far the correction is from −c·omega.</summary>
internal sealed record Checkpoint(int Iteration, double Loss, double Gravity, double CorrectionRms, long ForwardEvaluations, long BackwardEvaluations);

/// <summary>
/// Fits <see cref="PendulumModel"/> to <see cref="PendulumData"/> in float64: each iteration solves all six
/// trajectories from their observed starts, takes the mean squared error over every observed state, and
/// backpropagates it by the adjoint method (<see cref="Ode.SolveAdjoint"/>, the model's generated Vjp) into Adam
/// (g has a learning rate of its own: it must travel from 7 to 9.81).
/// Deterministic for a given seed on one thread.
/// </summary>
/// <remarks>
/// The network sees theta as well as omega, so it can fit the data just as well by making up for a wrong g
/// (−Δg·sin theta) as by learning the friction: with the MSE alone, g stays near 7.6 after 800 iterations and the
/// correction is mostly gravity. As in APHYNITY (Yin et al., ICLR 2021), the loss therefore also charges the mean
/// squared correction over the observed states, so that the physics explains all it can; its weight halves every
/// <see cref="PenaltyHalfLife"/> steps, so that it steers early and does not bias the friction at the end.
/// </remarks>
internal sealed class PendulumTraining : IDisposable
{
    /// <summary>Training tolerances: well below the data's spread, far looser than the data's own solve.</summary>
    public static SolverOptions Options { get; } = new() { Method = OdeMethod.Dopri5, RelTol = 1e-6, AbsTol = 1e-8 };

    private readonly PendulumData data;
    private readonly optim.Optimizer optimizer;

    public PendulumTraining(long seed, double learningRate = 1e-2, double gravityLearningRate = 5e-2, double penalty = 0.1, double penaltyHalfLife = 300)
    {
        Penalty = penalty;
        PenaltyHalfLife = penaltyHalfLife;
        torch.manual_seed(seed);
        data = new PendulumData();
        Model = new PendulumModel();
        Model.to(ScalarType.Float64);
        // W1 ~ N(0, 0.5) as declared, but drawn again from a generator of our own: tests running in parallel share
        // TorchSharp's global generator, and must not change this run's weights.
        using (var generator = new Generator((ulong)seed))
        using (no_grad())
        {
            Tensor w1 = Parameter("W1");
            w1.copy_(randn(w1.shape, ScalarType.Float64, generator: generator) * 0.5);
        }
        var g = Model.named_parameters().Where(p => p.name == "g").Select(p => p.parameter);
        var network = Model.named_parameters().Where(p => p.name != "g").Select(p => p.parameter);
        optimizer = optim.Adam(new[]
        {
            new TorchSharp.Modules.Adam.ParamGroup(network, lr: learningRate),
            new TorchSharp.Modules.Adam.ParamGroup(g, lr: gravityLearningRate),
        });
    }

    /// <summary>The weight of the mean squared correction in the loss at the first step.</summary>
    public double Penalty { get; }

    /// <summary>The steps over which the penalty's weight halves.</summary>
    public double PenaltyHalfLife { get; }

    /// <summary>The steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>The universal differential equation, compiled from the [OdeModel] class.</summary>
    public PendulumModel Model { get; }

    public PendulumData Data => data;

    /// <summary>The learned gravity.</summary>
    public double Gravity => Parameter("g").item<double>();

    /// <summary>One parameter of the model by its name in the class (g, W1, b1, w2).</summary>
    public Tensor Parameter(string name) => Model.named_parameters().Single(p => p.name == name).parameter;

    /// <summary>One Adam step on all trajectories; returns the MSE and the forward and backward evaluations.</summary>
    public (double Loss, long Forward, long Backward) Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        OdeSolution prediction = Ode.SolveAdjoint(Model, data.Y0, data.T, Options);
        Tensor mse = (prediction.Ys - data.Y).square().mean();
        double weight = Penalty * Math.Pow(0.5, Steps / PenaltyHalfLife);
        Tensor loss = weight > 0 ? mse + weight * Correction(data.Y.reshape(-1, 2)).square().mean() : mse;
        loss.backward();
        if (prediction.BackwardFailure is { } failure)
            throw failure;
        optimizer.step();
        Steps++;
        return (mse.item<double>(), prediction.Stats.FunctionEvaluations, prediction.BackwardStats?.FunctionEvaluations ?? 0);
    }

    /// <summary>The model's trajectories from the data's starts at <paramref name="times"/> ([T, 6, 2]), without gradients.</summary>
    public Tensor Predict(Tensor times)
    {
        using var noGrad = no_grad();
        return Ode.Solve(Model, data.Y0, times, Options).Ys;
    }

    /// <summary>The trajectory MSE at the data's times.</summary>
    public double Loss()
    {
        using var scope = NewDisposeScope();
        return (Predict(data.T) - data.Y).square().mean().item<double>();
    }

    /// <summary>
    /// The learned correction at every observed state, [40·6]: what the model adds to domega beyond its own physics
    /// term, i.e. forward(y)[omega] + (g / L)·sin(theta) with the learned g.
    /// </summary>
    public Tensor LearnedCorrection()
    {
        using var noGrad = no_grad();
        return Correction(data.Y.reshape(-1, 2));
    }

    /// <summary>The correction at <paramref name="states"/> ([N, 2] → [N]), from the model's generated forward.</summary>
    private Tensor Correction(Tensor states)
    {
        Tensor domega = Model.forward(zeros(new long[0], ScalarType.Float64), states)[.., 1];
        return domega + Parameter("g") / PendulumData.Length * states[.., 0].sin();
    }

    /// <summary>The RMS of learned correction − (−c·omega) over the observed states.</summary>
    public double CorrectionRms()
    {
        using var scope = NewDisposeScope();
        return (LearnedCorrection() - data.TrueCorrection()).square().mean().sqrt().item<double>();
    }

    public Checkpoint Evaluate(int iteration, long forward = 0, long backward = 0) =>
        new(iteration, Loss(), Gravity, CorrectionRms(), forward, backward);

    /// <summary>Trains for <paramref name="iterations"/> steps, evaluating every <paramref name="every"/> and at the end.</summary>
    public List<Checkpoint> Train(int iterations, int every, Action<Checkpoint>? onCheckpoint = null, Action<int, double, long, long>? onStep = null)
    {
        var checkpoints = new List<Checkpoint>();
        for (int i = 1; i <= iterations; i++)
        {
            var (loss, forward, backward) = Step();
            onStep?.Invoke(i, loss, forward, backward);
            if (i % every == 0 || i == iterations)
            {
                var checkpoint = Evaluate(i, forward, backward);
                checkpoints.Add(checkpoint);
                onCheckpoint?.Invoke(checkpoint);
            }
        }
        return checkpoints;
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Model.Dispose();
        data.Dispose();
    }
}
