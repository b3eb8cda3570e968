using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl.Adjoint;

/// <summary>
/// The backward pass of the adjoint method with torchdiffeq's semantics: the augmented system (y, a, a_θ) is
/// integrated from each output time to the previous one, each interval a fresh solve (with its own initial step);
/// between intervals y is reset to the stored forward value and the loss gradient at that time is added to a.
/// Memory is constant in the number of steps: nothing of the forward solve is kept but its outputs.
/// </summary>
internal sealed class AdjointBackward
{
    private readonly nn.Module<Tensor, Tensor, Tensor> module;
    private readonly string name;
    private readonly double[] times;
    private readonly SolverOptions options;

    /// <param name="module">The dynamics.</param>
    /// <param name="name">The dynamics' name, for errors.</param>
    /// <param name="trainable">Indices in <c>parameters()</c> of the parameters to differentiate.</param>
    /// <param name="times">The output times of the forward solve.</param>
    /// <param name="options">The backward solve's options: the forward's method, the adjoint tolerances.</param>
    public AdjointBackward(nn.Module<Tensor, Tensor, Tensor> module, string name, int[] trainable, double[] times,
        SolverOptions options)
    {
        this.module = module;
        this.name = name;
        Trainable = trainable;
        this.times = times;
        this.options = options;
    }

    /// <summary>Indices in <c>parameters()</c> of the parameters differentiated.</summary>
    public int[] Trainable { get; }

    /// <summary>
    /// From the forward outputs <paramref name="ys"/> and the loss gradient <paramref name="gradYs"/> (both
    /// <c>[T, B, D]</c>), the gradients for y0 and for each trainable parameter, and what the backward solve cost.
    /// </summary>
    public (Tensor Y0, Tensor[] Parameters, SolverStats Stats) Run(Tensor ys, Tensor gradYs)
    {
        long batch = ys.shape[1], width = ys.shape[2], size = batch * width;
        Parameter[] all = module.parameters().ToArray();
        Tensor[] parameters = Trainable.Select(i => (Tensor)all[i]).ToArray();
        long[] sizes = new[] { size, size }.Concat(parameters.Select(p => p.numel())).ToArray();
        var components = NormGrouping.LargestComponent(sizes, sizes.Select((_, c) => c < 2 || !options.Adjoint.Seminorm).ToArray());
        using IStepper stepper = Steppers.Create(options.Method);
        using var dynamics = new AugmentedDynamics($"{name} (adjoint)", new VectorJacobian(module, Trainable), batch, width);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        int last = times.Length - 1;
        Tensor augmented = Pack(ys[last], gradYs[last], parameters.Select(p => torch.zeros_like(p)));
        long evaluations = 0, accepted = 0, rejected = 0;
        for (int i = last; i > 0; i--)
        {
            double[] interval = { times[i], times[i - 1] };
            var (path, stats, outcomes) = Integrator.Solve(new Dynamics(dynamics, augmented), stepper, augmented, interval, options, components);
            // Whatever the forward's ThrowOnFailure, the backward's failure is reported on OdeSolution.BackwardFailure.
            if (outcomes.FirstFailure is { } failure)
                throw failure;
            (evaluations, accepted, rejected) = (evaluations + stats.FunctionEvaluations, accepted + stats.AcceptedSteps, rejected + stats.RejectedSteps);

            Tensor end = path[1, 0];
            // Back at an output time: y is the stored forward value again, and that output's loss gradient joins a.
            Tensor adjoint = end.narrow(0, size, size).add(gradYs[i - 1].reshape(-1));
            augmented = Pack(ys[i - 1], adjoint, new[] { end.narrow(0, 2 * size, end.shape[0] - 2 * size) });
        }

        Tensor row = augmented.select(0, 0);
        Tensor y0Gradient = row.narrow(0, size, size).view(batch, width).clone().MoveToOuterDisposeScope();
        long offset = 2 * size;
        var parameterGradients = new Tensor[parameters.Length];
        for (int p = 0; p < parameters.Length; p++)
        {
            long n = parameters[p].numel();
            parameterGradients[p] = row.narrow(0, offset, n).view(parameters[p].shape).clone().MoveToOuterDisposeScope();
            offset += n;
        }
        return (y0Gradient, parameterGradients, new SolverStats(evaluations, accepted, rejected));
    }

    /// <summary>One row <c>[1, N]</c> of (y, a, a_θ…).</summary>
    private static Tensor Pack(Tensor y, Tensor adjoint, IEnumerable<Tensor> parameterAdjoints)
    {
        var parts = new List<Tensor> { y.reshape(-1), adjoint.reshape(-1) };
        parts.AddRange(parameterAdjoints.Select(p => p.reshape(-1)));
        return torch.cat(parts, 0).unsqueeze(0);
    }
}
