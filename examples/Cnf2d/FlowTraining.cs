using System;
using System.Collections.Generic;
using OdeDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Examples.Cnf2d;

/// <summary>One optimisation step: the batch's negative log-likelihood in nats and what the solves cost.</summary>
internal sealed record FlowStep(int Iteration, double Nll, long ForwardEvaluations, long BackwardEvaluations);

/// <summary>
/// Trains the flow of cnf2d.ode by maximum likelihood on a 2-D toy density (FFJORD's protocol): each iteration draws
/// a fresh batch, takes NLL = −mean log p(x) with the exact generated trace, and backpropagates it by the adjoint
/// method. Deterministic for a given seed on one thread.
/// </summary>
internal sealed class FlowTraining : IDisposable
{
    private readonly string data;
    private readonly long batch;
    private readonly Generator generator;
    private readonly optim.Optimizer optimizer;

    public FlowTraining(string data, long seed, long batch = 256, double learningRate = 1e-3)
    {
        this.data = data;
        this.batch = batch;
        torch.manual_seed(seed);
        generator = new Generator((ulong)seed);
        Flow = new Examples.Flows.Cnf2d();
        optimizer = optim.Adam(Flow.parameters(), lr: learningRate);
    }

    /// <summary>The flow compiled from cnf2d.ode.</summary>
    public Examples.Flows.Cnf2d Flow { get; }

    /// <summary>FFJORD's tolerances (rtol = atol = 1e-5), the exact trace, gradients by the adjoint.</summary>
    public static CnfOptions Options { get; } = new() { Adjoint = true, Solver = new SolverOptions { RelTol = 1e-5, AbsTol = 1e-5 } };

    /// <summary>A fresh batch of the training density.</summary>
    public Tensor Sample(long n) => ToyData.Draw(data, n, generator);

    public FlowStep Step(int iteration)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        FlowDensity density = Cnf.Evaluate(Flow, Sample(batch), Options);
        OdeSolution solution = density.Solution;
        Tensor nll = -density.LogProb.mean();
        nll.backward();
        optimizer.step();
        return new FlowStep(iteration, nll.item<float>(), solution.Stats.FunctionEvaluations, solution.BackwardStats?.FunctionEvaluations ?? 0);
    }

    /// <summary>The NLL of a held-out batch (no gradients).</summary>
    public double Evaluate(Tensor heldOut)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return -Cnf.LogProb(Flow, heldOut, Options).mean().item<float>();
    }

    public List<FlowStep> Train(int iterations, Action<FlowStep>? onStep = null)
    {
        var steps = new List<FlowStep>();
        for (int i = 1; i <= iterations; i++)
        {
            FlowStep step = Step(i);
            steps.Add(step);
            onStep?.Invoke(step);
        }
        return steps;
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Flow.Dispose();
        generator.Dispose();
    }
}
