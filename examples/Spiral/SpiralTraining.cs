using System;
using System.Collections.Generic;
using OdeDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Examples.Spiral;

/// <summary>One evaluation during training: the loss over the whole trajectory and what the solve cost.</summary>
internal sealed record Checkpoint(int Iteration, double BatchLoss, double TrajectoryLoss, long FunctionEvaluations);

/// <summary>
/// Trains the network of spiral.ode on the spiral data with backpropagation through dopri5 (torchdiffeq's
/// ode_demo): each iteration solves 20 short windows from their observed starts and minimises the mean absolute
/// error. Deterministic for a given seed (weights, batches) on one thread.
/// </summary>
internal sealed class SpiralTraining : IDisposable
{
    private readonly SpiralData data;
    private readonly optim.Optimizer optimizer;

    public SpiralTraining(long seed, double learningRate = 1e-3)
    {
        torch.manual_seed(seed);
        data = new SpiralData(seed);
        Model = new Examples.Neural.Spiral();
        optimizer = optim.RMSProp(Model.parameters(), lr: learningRate);
    }

    /// <summary>The model compiled from spiral.ode.</summary>
    public Examples.Neural.Spiral Model { get; }

    public SpiralData Data => data;

    /// <summary>One optimisation step on a fresh batch; returns the batch loss and the forward evaluations.</summary>
    public (double Loss, long Evaluations) Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var (y0, t, targets) = data.Batch();
        OdeSolution prediction = Ode.Solve(Model, y0, t);
        Tensor loss = (prediction.Ys - targets).abs().mean();
        loss.backward();
        optimizer.step();
        return (loss.item<float>(), prediction.Stats.FunctionEvaluations);
    }

    /// <summary>The model's trajectory from the true start over all 1000 times, [1000, 2], and its mean |error|.</summary>
    public (Tensor Trajectory, double Loss, long Evaluations) Evaluate()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        OdeSolution solution = Ode.Solve(Model, data.Y0, data.Times);
        Tensor trajectory = solution.Ys.squeeze(1);
        double loss = (trajectory - data.TrueY).abs().mean().item<float>();
        return (trajectory.MoveToOuterDisposeScope(), loss, solution.Stats.FunctionEvaluations);
    }

    /// <summary>Trains for <paramref name="iterations"/> steps, evaluating every <paramref name="every"/>.</summary>
    public List<Checkpoint> Train(int iterations, int every, Action<Checkpoint, Tensor>? onCheckpoint = null, Action<int, double, long>? onStep = null)
    {
        var checkpoints = new List<Checkpoint>();
        for (int i = 1; i <= iterations; i++)
        {
            var (batchLoss, evaluations) = Step();
            onStep?.Invoke(i, batchLoss, evaluations);
            if (i % every == 0 || i == iterations)
            {
                var (trajectory, loss, trajectoryEvaluations) = Evaluate();
                var checkpoint = new Checkpoint(i, batchLoss, loss, trajectoryEvaluations);
                checkpoints.Add(checkpoint);
                onCheckpoint?.Invoke(checkpoint, trajectory);
                trajectory.Dispose();
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
