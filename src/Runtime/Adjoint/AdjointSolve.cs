using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeDsl.Adjoint;

/// <summary>
/// One <see cref="Ode.SolveAdjoint"/> call: the forward solve without a graph, and the backward solve when the
/// gradients are asked for, whose cost (or failure) it reports on the returned <see cref="OdeSolution"/>.
/// </summary>
internal sealed class AdjointSolve
{
    private readonly nn.Module<Tensor, Tensor, Tensor> module;
    private readonly Tensor ts;
    private readonly SolverOptions options;
    private readonly AdjointBackward backward;

    public AdjointSolve(nn.Module<Tensor, Tensor, Tensor> module, string name, Tensor ts, double[] times,
        SolverOptions options, SolverOptions backwardOptions, int[] trainable)
    {
        this.module = module;
        this.ts = ts;
        this.options = options;
        backward = new AdjointBackward(module, name, trainable, times, backwardOptions);
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
    /// The gradients for y0 and the trainable parameters. Never throws: an exception cannot cross TorchSharp's
    /// native backward (the process would end), so a failed backward solve gives NaN gradients and is reported on
    /// <see cref="OdeSolution.BackwardFailure"/>.
    /// </summary>
    public (Tensor Y0, Tensor[] Parameters) Backward(Tensor ys, Tensor gradYs)
    {
        try
        {
            var (y0, parameters, stats) = backward.Run(ys, gradYs);
            if (Solution is not null)
                Solution.BackwardStats = stats;
            return (y0, parameters);
        }
        catch (Exception e)
        {
            if (Solution is not null)
                Solution.BackwardFailure = e as OdeSolverException
                    ?? new OdeSolverException(OdeFailure.NonFiniteState, module.GetType().Name, double.NaN, 0, $"The adjoint solve failed: {e.Message}");
            Parameter[] all = module.parameters().ToArray();
            return (torch.full_like(ys[0], double.NaN), backward.Trainable.Select(i => torch.full_like(all[i], double.NaN)).ToArray());
        }
    }
}
