using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// Chooses the loop that drives a stepper (torchdiffeq's adaptive and fixed-grid solver bases, diffrax's
/// <c>diffeqsolve</c>): a step size per sample when asked for and the stepper estimates its error, otherwise one step
/// size for the batch, adaptive or on the fixed grid. <see cref="Ode.Solve(nn.Module{Tensor, Tensor, Tensor}, Tensor, Tensor, SolverOptions?)"/>
/// and the adjoint's backward solve both come here.
/// </summary>
internal static class Integrator
{
    /// <summary>
    /// The states of <paramref name="f"/> from <paramref name="y0"/> at the host times <paramref name="ts"/>
    /// (<c>[T, B, D]</c>, in the caller's dispose scope, NaN where a failed sample never got), the cost, and how each
    /// sample ended. Never throws for a sample that cannot finish: the caller decides from
    /// <see cref="SampleOutcomes.FirstFailure"/>. <paramref name="grouping"/> is the error norm of shared steps: the
    /// whole batch, or the adjoint's components (per-sample steps have their own). <paramref name="dense"/>, when
    /// given, receives every accepted step's dense output (shared steps only).
    /// </summary>
    public static (Tensor Ys, SolverStats Stats, SampleOutcomes Outcomes) Solve(Dynamics f, IStepper stepper, Tensor y0, double[] ts,
        SolverOptions options, NormGrouping grouping, Dense.DenseRecorder? dense = null) =>
        Solve(f, stepper, y0, ts, options, grouping, out _, dense);

    /// <summary>
    /// Like the overload without <paramref name="nextStep"/>, which is, for adaptive shared steps, the step size the
    /// controller proposed after the last step (so a following solve can start with it); NaN otherwise.
    /// </summary>
    public static (Tensor Ys, SolverStats Stats, SampleOutcomes Outcomes) Solve(Dynamics f, IStepper stepper, Tensor y0, double[] ts,
        SolverOptions options, NormGrouping grouping, out double nextStep, Dense.DenseRecorder? dense = null)
    {
        nextStep = double.NaN;
        var outcomes = new SampleOutcomes((int)y0.shape[0], ts);
        if (options.PerSampleSteps && stepper.IsAdaptive && ts.Length > 1)
        {
            var (ys, perSampleStats) = PerSampleSolver.Solve(f, stepper, y0, ts, options, outcomes);
            return (outcomes.Complete(ys), perSampleStats, outcomes);
        }

        using var state = new SolverState(y0) { Dense = dense };
        SolverStats stats = ts.Length == 1
            ? new SolverStats(0, 0, 0)
            : stepper.IsAdaptive
                ? AdaptiveSolver.Solve(f, stepper, y0, ts, options, state, grouping, outcomes, out nextStep)
                : FixedStepSolver.Solve(f, stepper, ts, options, state, outcomes);
        return (outcomes.Complete(state.Trajectory()), stats, outcomes);
    }
}
