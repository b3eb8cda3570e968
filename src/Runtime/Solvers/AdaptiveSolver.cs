using System;
using TorchSharp;
using OdeDsl.Tableaux;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The adaptive Runge–Kutta loop shared by every embedded tableau, with torchdiffeq's semantics: steps are not
/// clipped to the output times (the last one may overshoot the end); outputs come from the dense output of the
/// step that covers them; the whole batch shares one step size. Time and step size are host doubles; the only
/// host synchronisation per step is reading the error ratio.
/// </summary>
internal static class AdaptiveSolver
{
    // components: for the adjoint's packed state, the norm is the largest component RMS.
    public static SolverStats Solve(Dynamics f, ButcherTableau tableau, Tensor y0, double[] ts, SolverOptions options, SolverState state,
        ComponentNorm? components = null)
    {
        double direction = Math.Sign(ts[^1] - ts[0]);
        double t = ts[0];
        long accepted = 0, rejected = 0;
        var guard = new StepGuard(f.Name, options, ts[^1]);

        using var weights = new TableauScalars(tableau);
        using var errors = new ErrorControl(options, y0, components);
        var controller = new StepSizeController(options, tableau.Order);

        state.Advance(y0, f.Evaluate(t, y0));
        double h = direction * controller.Clamp(options.FirstStep
            ?? InitialStepSize.Select(f, t, y0, state.F!, tableau.Order - 1, errors, direction));

        int next = 1;
        while (next < ts.Length)
        {
            long step = accepted + rejected + 1;
            guard.BeforeStep(t, h, step);

            double ratio;
            using (torch.NewDisposeScope())
            {
                var (y1, k) = RungeKuttaStep.Take(f, tableau, weights, t, state.Y, state.F!, h);
                ratio = errors.Ratio(TableauScalars.Combine(weights.E!, k), state.Y, y1, h);
                if (ratio <= 1)
                {
                    double t1 = t + h;
                    int first = next;
                    while (next < ts.Length && direction * (ts[next] - t1) <= 0)
                        next++;
                    if (next > first)
                        state.AddOutputs(DenseOutput.Evaluate(tableau, state.Y, k, t, h, ts, first, next));
                    // FSAL, or (fehlberg2, adaptive_heun, as in torchdiffeq) the last stage taken at the embedded solution.
                    state.Advance(y1, tableau.ReusesLastStage ? k[^1] : f.Evaluate(t1, y1));
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
        return new SolverStats(f.Evaluations, accepted, rejected);
    }

}
