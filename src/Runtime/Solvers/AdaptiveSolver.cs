using System;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The adaptive loop of every stepper with an error estimate, with torchdiffeq's semantics: steps are not clipped
/// to the output times (the last one may overshoot the end); outputs come from the dense output of the step that
/// covers them; the whole batch shares one step size, its error norm grouped as the caller says (the whole batch,
/// or the adjoint's components). Time and step size are host doubles; the only host synchronisation per step is
/// reading the error norm.
/// </summary>
internal static class AdaptiveSolver
{
    /// <summary>
    /// Steps from <c>ts[0]</c> past <c>ts[^1]</c>, adding the outputs to <paramref name="state"/>. <paramref name="nextStep"/>
    /// is the step size the controller proposed after the last step (a magnitude), for a solve that continues.
    /// </summary>
    public static SolverStats Solve(Dynamics f, IStepper stepper, Tensor y0, double[] ts, SolverOptions options, SolverState state,
        NormGrouping grouping, out double nextStep)
    {
        double direction = Math.Sign(ts[^1] - ts[0]);
        double t = ts[0];
        long accepted = 0, rejected = 0;
        var guard = new StepGuard(f.Name, options, ts[^1]);

        using var norm = new ErrorNorm(options, y0, grouping);
        var controller = new StepSizeController(options, stepper.Order);

        state.Advance(y0, f.Evaluate(t, y0));
        double h = direction * controller.Clamp(options.FirstStep
            ?? InitialStepSize.Select(f, t, y0, state.F!, stepper.Order - 1, norm, direction));

        int next = 1;
        while (next < ts.Length)
        {
            long step = accepted + rejected + 1;
            guard.BeforeStep(t, h, step);

            double ratio;
            using (torch.NewDisposeScope())
            using (var span = StepSpan.Shared(t, h))
            {
                StepResult result = stepper.Step(f, span, state.Y, state.F!);
                ratio = Math.Abs(h) * norm.ErrorNorms(result.ErrorRate!, state.Y, result.Y1)[0];
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
            }

            if (ratio <= 1)
            {
                accepted++;
                guard.Accepted();
            }
            else
            {
                rejected++;
                guard.Rejected(t, h, ratio, step);
            }
            h = direction * controller.Clamp(Math.Abs(controller.Next(h, ratio)));
        }
        nextStep = Math.Abs(h);
        return new SolverStats(f.Evaluations, accepted, rejected);
    }
}
