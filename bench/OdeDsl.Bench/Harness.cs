using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace OdeDsl.Bench;

/// <summary>What one run of a case reports besides its time.</summary>
internal sealed record RunResult(long Nfe, IReadOnlyDictionary<string, object> Check);

/// <summary>One measured case, in the fields of the peers' JSON (bench/peers/*.json) so the tables merge.</summary>
internal sealed record Measurement(string Problem, string Variant, string Library, string Dtype, int Threads,
    double MedianMs, double MinMs, int Reps, long Nfe, IReadOnlyDictionary<string, object> Check, double[] TimesMs);

/// <summary>
/// The peers' timing protocol (PROBLEMS.md §8): one warm-up run, then up to <c>reps</c> timed runs, fewer (but at
/// least 3) when the warm-up shows that they would take more than the time budget.
/// </summary>
internal static class Harness
{
    public static Measurement Measure(string problem, string variant, string library, string dtype, int threads, Func<RunResult> run,
        int reps = 5, int minReps = 3, double budgetSeconds = 6.0)
    {
        var clock = Stopwatch.StartNew();
        RunResult result = run();
        double warmupMs = clock.Elapsed.TotalMilliseconds;
        int count = Math.Min(reps, Math.Max(minReps, (int)Math.Floor(budgetSeconds * 1000 / Math.Max(warmupMs, 1e-3))));

        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            clock.Restart();
            result = run();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        double[] sorted = times.OrderBy(t => t).ToArray();
        double median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
        return new Measurement(problem, variant, library, dtype, threads, median, sorted[0], count, result.Nfe, result.Check, times);
    }
}
