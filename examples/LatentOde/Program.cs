using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Examples.LatentOde;
using ScottPlot;
using Spectre.Console;
using static TorchSharp.torch;

// The latent ODE of Chen et al. 2018 (§5.1) on irregularly sampled spirals: train on --train spirals, each observing
// --observations of its 100 times, then report the predictive RMSE on --test held-out spirals (the next 100 times)
// and draw a few test spirals' reconstructions and extrapolations, forwards and backwards in time.
// Run: dotnet run --project examples/LatentOde -c Release [-- --iterations 1000 --observations 30 --train 1000 --test 100 --seed 0 --out latent-ode-output]
int iterations = 1000, observations = 30, trainCount = 1000, testCount = 100, seed = 0;
string output = "latent-ode-output";
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--iterations": iterations = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--observations": observations = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--train": trainCount = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--test": testCount = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": output = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}; expected --iterations, --observations, --train, --test, --seed or --out.");
    }
}
Directory.CreateDirectory(output);
set_num_threads(1);

var train = new SpiralDataset(trainCount, observations, seed);
var test = new SpiralDataset(testCount, observations, seed + 1000);
using var training = new LatentOdeTraining(train, seed);
var clock = System.Diagnostics.Stopwatch.StartNew();
double initialRmse = training.PredictiveRmse(test);
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
    .Start(context =>
    {
        ProgressTask task = context.AddTask("training", maxValue: iterations);
        for (int i = 1; i <= iterations; i++)
        {
            var (elbo, forward, backward) = training.Step();
            task.Description = $"iter {i,5}  ELBO {elbo,9:F1}  NFE fwd {forward,4} bwd {backward,4}";
            task.Increment(1);
        }
    });
double rmse = training.PredictiveRmse(test);
Console.WriteLine($"{iterations} iterations on {trainCount} spirals with {observations} observations each took {clock.Elapsed.TotalSeconds:F1} s.");
Console.WriteLine($"Predictive RMSE on {testCount} held-out spirals (their next 100 times): {initialRmse:F4} untrained → {rmse:F4}.");

// A few test spirals: observations, the truth, and the model from its posterior mean, forwards through the window and
// beyond, and backwards before it.
Tensor forwardTimes = cat(new[] { test.Times, test.FutureTimes }, 0);
Tensor backwardTimes = linspace(0.0, -test.FutureTimes[^1].item<double>() + test.FutureTimes[0].item<double>(), 100, dtype: float64);
Tensor ahead = training.Reconstruct(test, forwardTimes);
Tensor behind = training.Reconstruct(test, backwardTimes);
var plot = new Plot();
for (int sample = 0; sample < Math.Min(3, testCount); sample++)
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
    var (fx, fy) = Coordinates(ahead[sample]);
    var model = plot.Add.ScatterLine(fx, fy);
    model.LineColor = Colors.Red;
    model.LegendText = sample == 0 ? "latent ODE, t ≥ 0 (window, then extrapolation)" : "";
    var (bx, by) = Coordinates(behind[sample]);
    var back = plot.Add.ScatterLine(bx, by);
    back.LineColor = Colors.Cyan;
    back.LegendText = sample == 0 ? "latent ODE, t < 0" : "";
}
plot.Title($"Latent ODE, {observations} observations: predictive RMSE {rmse:F3}");
plot.Axes.SquareUnits();
string path = Path.Combine(output, $"latent-ode-{observations}.png");
plot.SavePng(path, 900, 700);
Console.WriteLine($"Wrote {Path.GetFullPath(path)}");

// The x and y columns of a [T, 2] trajectory, for plotting.
static (double[] X, double[] Y) Coordinates(Tensor points) =>
    (points[.., 0].contiguous().data<double>().ToArray(), points[.., 1].contiguous().data<double>().ToArray());
