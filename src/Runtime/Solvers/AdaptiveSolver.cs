using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The adaptive loop of every stepper with an error estimate, with torchdiffeq's semantics: steps are not clipped
/// to the output times (the last one may overshoot the end); outputs come from the dense output of the step that
/// covers them; the whole batch shares one step size, its error norm grouped as the caller says (the whole batch,
/// or the adjoint's components). Time and step size are host doubles; the only host synchronisation per step is
/// reading the error norm.
/// When the batch cannot go on (step size underflow, NaN/infinity, a rejected MinStep), the samples whose own error
/// failed the last rejected step are frozen (<see cref="FrozenRows"/>) and recorded as failed, and the others restart
/// with a fresh initial step; too many steps stop every sample still integrating.
/// </summary>
internal static class AdaptiveSolver
{
    /// <summary>
    /// Steps from <c>ts[0]</c> past <c>ts[^1]</c>, adding the outputs to <paramref name="state"/>. <paramref name="nextStep"/>
    /// is the step size the controller proposed after the last step (a magnitude), for a solve that continues.
    /// </summary>
    public static SolverStats Solve(Dynamics f, IStepper stepper, Tensor y0, double[] ts, SolverOptions options, SolverState state,
        NormGrouping grouping, SampleOutcomes outcomes, out double nextStep)
    {
        double direction = Math.Sign(ts[^1] - ts[0]);
        double t = ts[0];
        long accepted = 0, rejected = 0;
        var guard = new StepGuard(f.Name, options, ts[^1]);

        using var norm = new ErrorNorm(options, y0, grouping);
        using var frozen = new FrozenRows(y0);
        using var lastRejection = new LastRejection();
        bool blameRows = y0.shape[0] > 1;
        var controller = new StepSizeController(options, stepper.Order);

        state.Advance(y0, f.Evaluate(t, y0));
        double h = direction * controller.Clamp(options.FirstStep
            ?? InitialStepSize.Select(f, t, y0, state.F!, stepper.Order - 1, norm, direction));
        double lastAccepted = Math.Abs(h);

        int next = 1;
        while (next < ts.Length)
        {
            long step = accepted + rejected + 1;
            if (guard.BeforeStep(t, h, step) is { } failure)
            {
                if (!FreezeCulprits(failure))
                    break;
                h = Restart();
                continue;
            }

            double ratio;
            using (torch.NewDisposeScope())
            using (var span = StepSpan.Shared(t, h))
            {
                StepResult result = stepper.Step(f, span, state.Y, state.F!);
                ratio = Math.Abs(h) * norm.ErrorNorms(result.ErrorRate!, state.Y, result.Y1)[0] * frozen.Dilution;
                if (ratio <= 1)
                {
                    double t1 = t + h;
                    int first = next;
                    while (next < ts.Length && direction * (ts[next] - t1) <= 0)
                        next++;
                    if (next > first)
                        state.AddOutputs(stepper.Interpolate(state.Y, result, t, h, ts, first, next));
                    Tensor f1 = result.NextSlope ?? f.Evaluate(t1, result.Y1);
                    state.Dense?.Add(t, h, stepper.Polynomial(state.Y, result, h, result.Y1, f1));
                    state.Advance(result.Y1, f1);
                    t = t1;
                }
                else if (blameRows)
                    lastRejection.Remember(result.ErrorRate!, result.Y1, h);
            }

            if (ratio <= 1)
            {
                accepted++;
                guard.Accepted();
                lastAccepted = Math.Abs(h);
                lastRejection.Forget();
            }
            else
            {
                rejected++;
                if (guard.Rejected(t, h, ratio, step) is { } stuck)
                {
                    if (!FreezeCulprits(stuck))
                        break;
                    h = Restart();
                    continue;
                }
            }
            h = direction * controller.Clamp(Math.Abs(controller.Next(h, ratio)));
        }
        f.Frozen = null;
        nextStep = Math.Abs(h);
        return new SolverStats(f.Evaluations, accepted, rejected);

        // The survivors' first step after a freeze: Hairer's heuristic again (the culprits no longer shape it), or, should
        // it fail (an overflow in its trial evaluation), the last step everyone accepted.
        double Restart()
        {
            double restart = direction * controller.Clamp(options.FirstStep
                ?? InitialStepSize.Select(f, t, state.Y, state.F!, stepper.Order - 1, norm, direction));
            return double.IsFinite(restart) && t + restart != t ? restart : direction * controller.Clamp(lastAccepted);
        }

        // Records the samples to blame for a failure as failed and freezes them; false when no sample is left to go on.
        bool FreezeCulprits(OdeSolverException failure)
        {
            var running = Enumerable.Range(0, outcomes.Status.Length).Where(b => !outcomes.HasFailed(b)).ToList();
            // Too many steps is the batch's budget: nobody is to blame more than the others.
            int[] culprits = failure.Failure == OdeFailure.MaxStepsExceeded
                ? running.ToArray()
                : lastRejection.Culprits(failure.Failure == OdeFailure.NonFiniteState, running);
            foreach (int b in culprits)
                outcomes.Fail(b, failure, t, next);
            lastRejection.Forget();
            if (outcomes.Running == 0)
                return false;

            frozen.Add(culprits);
            f.Frozen = frozen;
            using (torch.NewDisposeScope())
                state.ReplaceSlope(frozen.Apply(state.F!));
            guard.Accepted();
            return true;
        }
    }
}
