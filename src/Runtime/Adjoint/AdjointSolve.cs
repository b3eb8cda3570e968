using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl.Adjoint;

/// <summary>
/// One <see cref="Ode.SolveAdjoint(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/> call: the forward solve without a graph, and the backward solve when the
/// gradients are asked for, whose cost (or failure) it reports on the returned <see cref="OdeSolution"/>.
/// </summary>
internal sealed class AdjointSolve
{
    private readonly nn.Module<Tensor, Tensor, Tensor> module;
    private readonly Tensor ts;
    private readonly SolverOptions options;
    private readonly AdjointBackward backward;
    private readonly bool timesRequireGrad;

    /// <param name="module">The dynamics.</param>
    /// <param name="name">The dynamics' name, for errors.</param>
    /// <param name="ts">The output times (their gradient is computed when they require grad).</param>
    /// <param name="times">The output times on the host.</param>
    /// <param name="options">The forward solve's options.</param>
    /// <param name="backwardOptions">The backward solve's (<see cref="Validation.SolveArguments.CheckAdjoint"/>).</param>
    /// <param name="trainable">Indices in <c>parameters()</c> of the parameters to differentiate.</param>
    /// <param name="perSampleTimes">The forward takes per-sample steps, so the dynamics take <c>t</c> as <c>[B]</c>.</param>
    public AdjointSolve(nn.Module<Tensor, Tensor, Tensor> module, string name, Tensor ts, double[] times,
        SolverOptions options, SolverOptions backwardOptions, int[] trainable, bool perSampleTimes)
    {
        this.module = module;
        this.ts = ts;
        this.options = options;
        timesRequireGrad = ts.requires_grad;
        backward = new AdjointBackward(module, name, trainable, times, backwardOptions, perSampleTimes);
    }

    public SolverStats ForwardStats { get; private set; } = new(0, 0, 0);

    /// <summary>How each sample's forward solve ended (<see cref="SolverOptions.ThrowOnFailure"/> = false lets it fail quietly).</summary>
    public IReadOnlyList<OdeStatus> ForwardStatus { get; private set; } = Array.Empty<OdeStatus>();

    /// <summary>How far each sample's forward solve got.</summary>
    public IReadOnlyList<double> ForwardTimeReached { get; private set; } = Array.Empty<double>();

    /// <summary>The solution handed to the caller, on which the backward solve reports.</summary>
    public OdeSolution? Solution { get; set; }

    public Tensor Forward(Tensor y0)
    {
        using var noGrad = torch.no_grad();
        OdeSolution solution = Ode.Solve(module, y0, ts, options);
        ForwardStats = solution.Stats;
        ForwardStatus = solution.Status;
        ForwardTimeReached = solution.TimeReached;
        return solution.Ys;
    }

    /// <summary>
    /// The gradients for y0, the trainable parameters and, when they require grad, the output times (null otherwise).
    /// Never throws: an exception cannot cross TorchSharp's
    /// native backward (the process would end), so a failed backward solve gives NaN gradients and is reported on
    /// <see cref="OdeSolution.BackwardFailure"/>.
    /// </summary>
    public (Tensor Y0, Tensor[] Parameters, Tensor? Times) Backward(Tensor ys, Tensor gradYs)
    {
        try
        {
            var (y0, parameters, times, stats) = backward.Run(ys, gradYs, timesRequireGrad);
            if (Solution is not null)
                Solution.BackwardStats = stats;
            return (y0, parameters, times);
        }
        catch (Exception e)
        {
            if (Solution is not null)
                Solution.BackwardFailure = e as OdeSolverException
                    ?? new OdeSolverException(OdeFailure.NonFiniteState, module.GetType().Name, double.NaN, 0, $"The adjoint solve failed: {e.Message}");
            Parameter[] all = module.parameters().ToArray();
            return (RootedScalars.NaNLike(ys[0]), backward.Trainable.Select(i => RootedScalars.NaNLike(all[i])).ToArray(),
                timesRequireGrad ? RootedScalars.NaNLike(ts) : null);
        }
    }
}
