using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The fixed-step loop, for a stepper without an error estimate: each interval between consecutive output times is
/// split into the fewest equal steps no longer than <see cref="SolverOptions.StepSize"/>, so every output is a grid
/// point (no interpolation error, and the method keeps its order at every output). No host synchronisation inside the steps; the state is
/// checked for NaN/infinity once per output time. Samples that became non-finite go back to their last output and are
/// frozen there (<see cref="FrozenRows"/>); the others go on, with exactly the steps they would take alone.
/// </summary>
internal static class FixedStepSolver
{
    public static SolverStats Solve(Dynamics f, IStepper stepper, double[] ts, SolverOptions options, SolverState state,
        SampleOutcomes outcomes)
    {
        double stepSize = options.StepSize!.Value;
        long[] steps = new long[ts.Length];
        long total = 0;
        for (int i = 1; i < ts.Length; i++)
        {
            double ratio = Math.Abs(ts[i] - ts[i - 1]) / stepSize;
            steps[i] = Math.Max(1, (long)Math.Ceiling(ratio * (1 - 1e-12)));
            total += steps[i];
        }

        // The grid is known in advance: too many steps fail before the first one (the default), or, when the caller
        // wants what can be had, after the outputs that fit in MaxSteps.
        int reachable = ts.Length;
        OdeSolverException? tooManySteps = null;
        if (total > options.MaxSteps)
        {
            long budget = 0;
            reachable = 1;
            while (!options.ThrowOnFailure && budget + steps[reachable] <= options.MaxSteps)
                budget += steps[reachable++];
            tooManySteps = new OdeSolverException(OdeFailure.MaxStepsExceeded, f.Name, ts[reachable - 1], budget,
                $"StepSize = {stepSize:G6} needs {total} steps to reach t = {ts[^1]:G9}, more than MaxSteps = {options.MaxSteps}.");
        }

        using var frozen = new FrozenRows(state.Y);
        long done = 0;
        for (int i = 1; i < reachable; i++)
        {
            double h = (ts[i] - ts[i - 1]) / steps[i];
            for (long s = 0; s < steps[i]; s++)
            {
                double t = ts[i - 1] + s * h;
                using (torch.NewDisposeScope())
                using (var span = StepSpan.Shared(t, h))
                {
                    Tensor f0 = state.F ?? f.Evaluate(t, state.Y);
                    StepResult result = stepper.Step(f, span, state.Y, f0);
                    if (state.Dense is null)
                        state.Advance(result.Y1, null);
                    else
                    {
                        // The slope at the step's end is the next step's first evaluation: the interpolant costs one more in all.
                        Tensor f1 = f.Evaluate(t + h, result.Y1);
                        state.Dense.Add(t, h, stepper.Polynomial(state.Y, result, h, result.Y1, f1));
                        state.Advance(result.Y1, f1);
                    }
                }
                done++;
            }
            using (torch.NewDisposeScope())
            {
                if (!torch.isfinite(state.Y).all().item<bool>() && !FreezeNonFinite(i))
                    break;
                state.AddOutputs(state.Y.unsqueeze(0));
            }
        }
        f.Frozen = null;
        // Recorded last, so that a sample that became non-finite before the budget ran out keeps that status.
        for (int b = 0; tooManySteps is not null && b < outcomes.Status.Length; b++)
            outcomes.Fail(b, tooManySteps, ts[reachable - 1], reachable);
        return new SolverStats(f.Evaluations, done, 0);

        // The failure path: which samples are non-finite (one host read), recorded as failed at their last output and
        // frozen there; false when no sample is left to go on.
        bool FreezeNonFinite(int i)
        {
            bool[] finite = torch.isfinite(state.Y).all(1).cpu().data<bool>().ToArray();
            int[] broken = Enumerable.Range(0, finite.Length).Where(b => !finite[b]).ToArray();
            var failure = new OdeSolverException(OdeFailure.NonFiniteState, f.Name, ts[i], done,
                $"The state became NaN or infinite between t = {ts[i - 1]:G9} and t = {ts[i]:G9}; try a smaller StepSize.");
            foreach (int b in broken)
                outcomes.Fail(b, failure, ts[i - 1], i);
            if (outcomes.Running == 0)
                return false;
            frozen.Add(broken);
            f.Frozen = frozen;
            state.Advance(frozen.Select(state.LastOutput(), state.Y), null);
            return true;
        }
    }
}
