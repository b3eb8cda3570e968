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
/// integrated from each output time to the previous one, each interval a fresh solve (with its own initial step, or
/// with <see cref="AdjointOptions.CarryStepSize"/> the step size the previous interval ended with);
/// between intervals y is reset to the stored forward value and the loss gradient at that time is added to a.
/// Memory is constant in the number of steps: nothing of the forward solve is kept but its outputs.
/// <para>
/// Per-sample forward steps: the backward solve still steps the whole batch with one step size, handing the dynamics
/// the time once per sample. The parameters' adjoint is a sum over the samples, and one reverse pass gives only that
/// sum: per-sample steps would need each sample's own a_θ (a reverse pass per sample, no vmap in TorchSharp) or a
/// second, masked pass per stage to leave out the samples whose step is rejected. Shared steps need neither, and the
/// adjoint gradient is that of the exact flow, not of the forward's steps, so the backward need not retrace them.
/// </para>
/// <para>
/// Gradients for the output times (when <c>ts</c> requires grad): y(t_i) moves with t_i at the rate f(t_i, y_i), so
/// dL/dt_i = f(t_i, y_i)·dL/dy_i for i ≥ 1; and moving t_0 with y0 fixed shifts the solution, ∂y(t)/∂t_0 =
/// −Φ(t, t_0) f(t_0, y0), so dL/dt_0 = −a(t_0⁺)·f(t_0, y0), with a(t_0⁺) the adjoint before dL/dy0 at t_0 is added
/// (Ys[0] is y0 and does not move with t_0). torchdiffeq gets the same dL/dt_0 with one more augmented component that
/// starts at 0, loses dL/dt_i at each output time and integrates −a·∂f/∂t (a·f changes only by a·∂f/∂t along the
/// flow); the closed form needs no ∂f/∂t in every vector–Jacobian product and costs one evaluation of f.
/// </para>
/// </summary>
internal sealed class AdjointBackward
{
    private readonly nn.Module<Tensor, Tensor, Tensor> module;
    private readonly string name;
    private readonly double[] times;
    private readonly SolverOptions options;
    private readonly bool perSampleTimes;

    /// <param name="module">The dynamics.</param>
    /// <param name="name">The dynamics' name, for errors.</param>
    /// <param name="trainable">Indices in <c>parameters()</c> of the parameters to differentiate.</param>
    /// <param name="times">The output times of the forward solve.</param>
    /// <param name="options">The backward solve's options: the forward's method, the adjoint tolerances, shared steps.</param>
    /// <param name="perSampleTimes">The forward took per-sample steps: the dynamics take <c>t</c> as <c>[B]</c>.</param>
    public AdjointBackward(nn.Module<Tensor, Tensor, Tensor> module, string name, int[] trainable, double[] times,
        SolverOptions options, bool perSampleTimes)
    {
        this.module = module;
        this.name = name;
        Trainable = trainable;
        this.times = times;
        this.options = options;
        this.perSampleTimes = perSampleTimes;
    }

    /// <summary>Indices in <c>parameters()</c> of the parameters differentiated.</summary>
    public int[] Trainable { get; }

    /// <summary>
    /// From the forward outputs <paramref name="ys"/> and the loss gradient <paramref name="gradYs"/> (both
    /// <c>[T, B, D]</c>), the gradients for y0, for each trainable parameter and, when <paramref name="withTimes"/>,
    /// for the output times (<c>[T]</c>), and what the backward solve cost.
    /// </summary>
    public (Tensor Y0, Tensor[] Parameters, Tensor? Times, SolverStats Stats) Run(Tensor ys, Tensor gradYs, bool withTimes)
    {
        long batch = ys.shape[1], width = ys.shape[2], size = batch * width;
        Parameter[] all = module.parameters().ToArray();
        Tensor[] parameters = Trainable.Select(i => (Tensor)all[i]).ToArray();
        long[] sizes = new[] { size, size }.Concat(parameters.Select(p => p.numel())).ToArray();
        var components = NormGrouping.LargestComponent(sizes, sizes.Select((_, c) => c < 2 || !options.Adjoint.Seminorm).ToArray());
        using IStepper stepper = Steppers.Create(options.Method);
        using var dynamics = new AugmentedDynamics($"{name} (adjoint)", new VectorJacobian(module, Trainable), batch, width, perSampleTimes);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        CheckLossGradient(gradYs);
        long adjointSize = sizes.Sum() - size;
        SolverOptions packed = options with
        {
            RelTol = AugmentedTolerance.Pack(options.RelTol, batch, width, adjointSize, ys),
            AbsTol = AugmentedTolerance.Pack(options.AbsTol, batch, width, adjointSize, ys),
        };
        var original = new Dynamics(module, ys);
        Tensor[]? timeGradients = withTimes ? new Tensor[times.Length] : null;

        int last = times.Length - 1;
        Tensor augmented = Pack(ys[last], gradYs[last], parameters.Select(p => torch.zeros_like(p)));
        long evaluations = 0, accepted = 0, rejected = 0;
        SolverOptions intervalOptions = packed;
        for (int i = last; i > 0; i--)
        {
            if (timeGradients is not null)
                timeGradients[i] = Dot(Slope(original, times[i], ys[i], batch), gradYs[i]);

            double[] interval = { times[i], times[i - 1] };
            var (path, stats, outcomes) = Integrator.Solve(new Dynamics(dynamics, augmented), stepper, augmented, interval, intervalOptions, components,
                out double nextStep);
            // Whatever the forward's ThrowOnFailure, the backward's failure is reported on OdeSolution.BackwardFailure.
            if (outcomes.FirstFailure is { } failure)
                throw failure;
            // The adjoint jumps at t_{i-1}, so the next interval is a new solve; its step size need not start over.
            if (options.Adjoint.CarryStepSize && double.IsFinite(nextStep) && nextStep > 0)
                intervalOptions = packed with { FirstStep = nextStep };
            (evaluations, accepted, rejected) = (evaluations + stats.FunctionEvaluations, accepted + stats.AcceptedSteps, rejected + stats.RejectedSteps);

            Tensor end = path[1, 0];
            Tensor adjoint = end.narrow(0, size, size);
            if (i == 1 && timeGradients is not null)
                timeGradients[0] = Dot(Slope(original, times[0], ys[0], batch), adjoint).neg();
            // Back at an output time: y is the stored forward value again, and that output's loss gradient joins a.
            adjoint = adjoint.Plus(gradYs[i - 1].reshape(-1));
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
        Tensor? timeGradient = timeGradients is null ? null : torch.stack(timeGradients, 0).MoveToOuterDisposeScope();
        var cost = new SolverStats(evaluations + original.Evaluations, accepted, rejected);
        return (y0Gradient, parameterGradients, timeGradient, cost);
    }

    /// <summary>f(t, y) of the original dynamics, with <c>t</c> as the forward solve handed it (a scalar or <c>[B]</c>).</summary>
    private Tensor Slope(Dynamics original, double t, Tensor y, long batch) => perSampleTimes
        ? original.Evaluate(RootedScalars.Filled(new[] { batch }, t, y.dtype, y.device), y)
        : original.Evaluate(t, y);

    /// <summary>The 0-dim sum of the elementwise product.</summary>
    private static Tensor Dot(Tensor a, Tensor b) => a.reshape(-1).dot(b.reshape(-1));

    /// <summary>One row <c>[1, N]</c> of (y, a, a_θ…).</summary>
    private static Tensor Pack(Tensor y, Tensor adjoint, IEnumerable<Tensor> parameterAdjoints)
    {
        var parts = new List<Tensor> { y.reshape(-1), adjoint.reshape(-1) };
        parts.AddRange(parameterAdjoints.Select(p => p.reshape(-1)));
        return torch.cat(parts, 0).unsqueeze(0);
    }

    /// <summary>
    /// A NaN or infinity in dL/dYs comes from the loss, not the dynamics: say so (and where) before the backward solve
    /// would fail on it with a message about the dynamics. One host read per backward pass.
    /// </summary>
    private void CheckLossGradient(Tensor gradYs)
    {
        using var scope = torch.NewDisposeScope();
        Tensor badTimes = torch.isfinite(gradYs).logical_not().flatten(1).any(1);
        if (!badTimes.any().item<bool>())
            return;
        long[] indices = torch.nonzero(badTimes).flatten().cpu().data<long>().ToArray();
        string which = string.Join(", ", indices.Take(5)) + (indices.Length > 5 ? ", …" : "");
        throw new OdeSolverException(OdeFailure.NonFiniteLossGradient, name, times[indices[0]], 0,
            $"The loss gradient dL/dYs is NaN or infinite at output index {which} of {times.Length}: the loss produced it (check the loss for log(0), 0/0, overflow), not the dynamics.");
    }
}
