using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Examples.LatentOde;
using ScottPlot;
using Spectre.Console;
using static TorchSharp.torch;

// The latent ODE of Chen et al. 2018 (§5.1) on irregularly sampled spirals, against the paper's baseline, a time-aware
// RNN trained on the same data: each model trains on --train spirals, each observing --observations of its 100 times,
// then both report the predictive RMSE on --test held-out spirals (the next 100 times) and a picture shows a few test
// spirals' reconstructions and extrapolations, forwards and backwards in time. --table runs 30, 50 and 100
// observations in turn and prints the paper's Table 2 beside ours.
// Run: dotnet run --project examples/LatentOde -c Release [-- --iterations 1000 --observations 30 --train 1000 --test 100 --seed 0 --out <folder> --table]
int iterations = 1000, rnnIterations = -1, observations = 30, trainCount = 1000, testCount = 100, seed = 0;
bool table = false;
string output = Path.Combine(AppContext.BaseDirectory, "output");
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--table")
    {
        table = true;
        continue;
    }
    if (i + 1 >= args.Length)
        throw new ArgumentException($"Option {args[i]} needs a value.");
    string value = args[++i];
    switch (args[i - 1])
    {
        case "--iterations": iterations = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--rnn-iterations": rnnIterations = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--observations": observations = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--train": trainCount = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--test": testCount = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--out": output = value; break;
        default: throw new ArgumentException($"Unknown option {args[i - 1]}; expected --iterations, --rnn-iterations, --observations, --train, --test, --seed, --out or --table.");
    }
}
if (rnnIterations < 0)
    rnnIterations = iterations;
Directory.CreateDirectory(output);
set_num_threads(1);

var results = new List<(int Observations, double LatentOde, double Rnn, double Seconds)>();
foreach (int count in table ? new[] { 30, 50, 100 } : new[] { observations })
    results.Add(Run(count));

// The paper's Table 2 (predictive RMSE on the spirals' test set) beside this run's.
var paper = new Dictionary<int, (double LatentOde, double Rnn)> { [30] = (0.1642, 0.3937), [50] = (0.1502, 0.3202), [100] = (0.1346, 0.1813) };
var summary = new Table().AddColumns("observations", "RNN (ours)", "latent ODE (ours)", "RNN (paper)", "latent ODE (paper)", "seconds");
var markdown = new System.Text.StringBuilder("| observations | RNN (ours) | latent ODE (ours) | RNN (paper) | latent ODE (paper) |\n|---:|---:|---:|---:|---:|\n");
foreach (var (count, latent, rnn, seconds) in results)
{
    string paperRnn = paper.TryGetValue(count, out var p) ? p.Rnn.ToString("F4", CultureInfo.InvariantCulture) : "–";
    string paperLatent = paper.ContainsKey(count) ? p.LatentOde.ToString("F4", CultureInfo.InvariantCulture) : "–";
    summary.AddRow(count.ToString(CultureInfo.InvariantCulture), F4(rnn), F4(latent), paperRnn, paperLatent, seconds.ToString("F0", CultureInfo.InvariantCulture));
    markdown.Append(CultureInfo.InvariantCulture, $"| {count} | {F4(rnn)} | {F4(latent)} | {paperRnn} | {paperLatent} |\n");
}
AnsiConsole.Write(summary);
string tablePath = Path.Combine(output, "predictive-rmse.md");
File.WriteAllText(tablePath, markdown.ToString());
Console.WriteLine($"Wrote {Path.GetFullPath(tablePath)}");

(int, double, double, double) Run(int observed)
{
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var train = new SpiralDataset(trainCount, observed, seed);
    var test = new SpiralDataset(testCount, observed, seed + 1000);
    using var latent = new LatentOdeTraining(train, seed);
    using var rnn = new RnnBaselineTraining(train, seed);
    double untrained = latent.PredictiveRmse(test);
    // Rendered on this thread (no auto-refresh thread): TorchSharp's implicit Scalars (every `a + b` makes one) are
    // finalizer-owned, and a garbage collection started by another thread mid-operation can free one in use.
    AnsiConsole.Progress()
        .AutoRefresh(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
        .Start(context =>
        {
            ProgressTask odeTask = context.AddTask($"latent ODE, {observed} obs", maxValue: iterations);
            for (int i = 1; i <= iterations; i++)
            {
                var (elbo, forward, backward) = latent.Step();
                odeTask.Description = $"latent ODE {observed,3} obs  iter {i,5}  ELBO {elbo,9:F1}  NFE fwd {forward,4} bwd {backward,4}";
                odeTask.Increment(1);
                context.Refresh();
            }
            ProgressTask rnnTask = context.AddTask($"RNN, {observed} obs", maxValue: rnnIterations);
            for (int i = 1; i <= rnnIterations; i++)
            {
                double loss = rnn.Step();
                rnnTask.Description = $"RNN        {observed,3} obs  iter {i,5}  MSE/2 {loss,9:F4}";
                rnnTask.Increment(1);
                context.Refresh();
            }
        });
    double latentRmse = latent.PredictiveRmse(test), rnnRmse = rnn.PredictiveRmse(test);
    Console.WriteLine($"{observed} observations, {trainCount} training spirals: predictive RMSE on {testCount} held-out spirals (their next 100 times): "
        + $"latent ODE {untrained:F4} untrained → {latentRmse:F4}; RNN {rnnRmse:F4} ({clock.Elapsed.TotalSeconds:F0} s).");
    Draw(test, latent, rnn, observed, latentRmse, rnnRmse);
    return (observed, latentRmse, rnnRmse, clock.Elapsed.TotalSeconds);
}

// A few test spirals: observations, the truth, the latent ODE from its posterior mean forwards through the window and
// beyond and backwards before it, and the RNN's extrapolation.
void Draw(SpiralDataset test, LatentOdeTraining latent, RnnBaselineTraining rnn, int observed, double latentRmse, double rnnRmse)
{
    using var scope = NewDisposeScope();
    Tensor forwardTimes = cat(new[] { test.Times, test.FutureTimes }, 0);
    Tensor backwardTimes = linspace(0.0, -test.FutureTimes[^1].item<double>() + test.FutureTimes[0].item<double>(), 100, dtype: float64);
    Tensor ahead = latent.Reconstruct(test, forwardTimes);
    Tensor behind = latent.Reconstruct(test, backwardTimes);
    Tensor rnnAhead;
    using (no_grad())
        rnnAhead = rnn.Model.Extrapolate(test.Observed, test.Mask, test.Times, test.FutureTimes);
    var plot = new Plot();
    for (int sample = 0; sample < Math.Min(3, test.Count); sample++)
    {
        double[] mask = test.Mask[sample].data<double>().ToArray();
        double[] seen = test.Observed[sample].contiguous().data<double>().ToArray();
        int[] at = Enumerable.Range(0, SpiralDataset.Window).Where(i => mask[i] > 0).ToArray();
        var dots = plot.Add.ScatterPoints(at.Select(i => seen[2 * i]).ToArray(), at.Select(i => seen[2 * i + 1]).ToArray());
        dots.LegendText = sample == 0 ? "observations" : "";
        var truth = Enumerable.Range(Math.Max(0, test.StartIndex[sample] - 100), 300).Select(i => SpiralDataset.Point(test.Clockwise[sample], i)).ToArray();
        var line = plot.Add.ScatterLine(truth.Select(p => p.X).ToArray(), truth.Select(p => p.Y).ToArray());
        line.LineColor = Colors.Gray;
        line.LegendText = sample == 0 ? "true spiral" : "";
        AddLine(ahead[sample], Colors.Red, sample == 0 ? "latent ODE, t ≥ 0 (window, then extrapolation)" : "");
        AddLine(behind[sample], Colors.Cyan, sample == 0 ? "latent ODE, t < 0" : "");
        AddLine(rnnAhead[sample], Colors.Green, sample == 0 ? "RNN extrapolation" : "");
    }
    plot.Title($"{observed} observations: predictive RMSE latent ODE {latentRmse:F3}, RNN {rnnRmse:F3}");
    plot.Axes.SquareUnits();
    string path = Path.Combine(output, $"latent-ode-{observed}.png");
    plot.SavePng(path, 900, 700);
    Console.WriteLine($"Wrote {Path.GetFullPath(path)}");

    void AddLine(Tensor points, ScottPlot.Color color, string legend)
    {
        var (x, y) = (points[.., 0].contiguous().data<double>().ToArray(), points[.., 1].contiguous().data<double>().ToArray());
        var scatter = plot.Add.ScatterLine(x, y);
        scatter.LineColor = color;
        scatter.LegendText = legend;
    }
}

static string F4(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
