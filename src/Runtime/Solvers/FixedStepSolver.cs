using System;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The fixed-step loop, for a stepper without an error estimate: each interval between consecutive output times is
/// split into the fewest equal steps no longer than <see cref="SolverOptions.StepSize"/>, so every output is a grid
/// point (no interpolation error, and the method keeps its order at every output). No host synchronisation inside the steps; the state is
/// checked for NaN/infinity once per output time.
/// </summary>
internal static class FixedStepSolver
{
    public static SolverStats Solve(Dynamics f, IStepper stepper, double[] ts, SolverOptions options, SolverState state)
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
        if (total > options.MaxSteps)
            throw new OdeSolverException(OdeFailure.MaxStepsExceeded, f.Name, ts[0], 0,
                $"StepSize = {stepSize:G6} needs {total} steps to reach t = {ts[^1]:G9}, more than MaxSteps = {options.MaxSteps}.");

        long done = 0;
        for (int i = 1; i < ts.Length; i++)
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
                if (!torch.isfinite(state.Y).all().item<bool>())
                    throw new OdeSolverException(OdeFailure.NonFiniteState, f.Name, ts[i], done,
                        $"The state became NaN or infinite between t = {ts[i - 1]:G9} and t = {ts[i]:G9}; try a smaller StepSize.");
                state.AddOutputs(state.Y.unsqueeze(0));
            }
        }
        return new SolverStats(f.Evaluations, done, 0);
    }
}
