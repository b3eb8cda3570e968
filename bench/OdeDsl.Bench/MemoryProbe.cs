using System;
using System.Diagnostics;
using OdeDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Bench;

/// <summary>
/// Shows that a solve's memory does not grow with its number of steps: resident memory and live tensors after
/// solves of 1k, 10k and 100k steps (Euler on the P2 Lorenz batch, and dopri5 with a fixed step).
/// </summary>
internal static class MemoryProbe
{
    public static void Run()
    {
        var (y0, _) = PeerProblems.LorenzInputs(ScalarType.Float32);
        using var model = new LorenzModule(ScalarType.Float32);
        Console.WriteLine("steps    method  | resident MiB after | live tensors after (excl. result) | ms");
        foreach (OdeMethod method in new[] { OdeMethod.Euler, OdeMethod.Dopri5 })
        {
            foreach (int steps in new[] { 1_000, 10_000, 100_000 })
            {
                double h = 1e-6;
                var options = method == OdeMethod.Euler
                    ? new SolverOptions { Method = method, StepSize = h }
                    : new SolverOptions { Method = method, RelTol = 1e3, AbsTol = 1e3, FirstStep = h, MaxStep = h };
                using var ts = tensor(new[] { 0f, (float)(steps * h) });
                long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                var clock = Stopwatch.StartNew();
                using (no_grad())
                using (OdeSolution solution = Ode.Solve(model, y0, ts, options))
                {
                    clock.Stop();
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    using var process = Process.GetCurrentProcess();
                    Console.WriteLine($"{solution.Stats.AcceptedSteps,7}  {method,-7} | {process.WorkingSet64 / (1024.0 * 1024.0),18:F1} | "
                        + $"{DisposeScopeManager.Statistics.ThreadTotalLiveCount - live - 1,33} | {clock.ElapsedMilliseconds}");
                }
            }
        }
    }
}
