using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Examples.LatentOde;
using ScottPlot;

// The latent ODE example, step one: the paper's irregularly sampled spirals (Chen et al. 2018, §5.1, Table 2).
// Run: dotnet run --project examples/LatentOde [-- --count 1000 --observations 30 --seed 0 --out latent-ode-output]
// Writes the two ground-truth spirals and a few samples' irregular observations. The recognition RNN, the latent
// dynamics and their training come next (issue 11).
int count = 1000, observations = 30, seed = 0;
string output = "latent-ode-output";
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--count": count = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--observations": observations = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": output = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}; expected --count, --observations, --seed or --out.");
    }
}
Directory.CreateDirectory(output);

var data = new SpiralDataset(count, observations, seed);
int clockwise = data.Clockwise.Count(c => c);
Console.WriteLine($"{count} spirals ({clockwise} clockwise), {observations} of {SpiralDataset.Window} times observed per sample, noise std {SpiralDataset.NoiseStd}.");

var plot = new Plot();
foreach (bool cw in new[] { false, true })
{
    var points = Enumerable.Range(0, SpiralDataset.Total).Select(i => SpiralDataset.Point(cw, i)).ToArray();
    var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
    line.LegendText = cw ? "clockwise" : "counter-clockwise";
}
for (int sample = 0; sample < Math.Min(4, count); sample++)
{
    double[] mask = data.Mask[sample].data<double>().ToArray();
    double[] xy = data.Observed[sample].contiguous().data<double>().ToArray();
    int[] seen = Enumerable.Range(0, SpiralDataset.Window).Where(i => mask[i] > 0).ToArray();
    var dots = plot.Add.ScatterPoints(seen.Select(i => xy[2 * i]).ToArray(), seen.Select(i => xy[2 * i + 1]).ToArray());
    dots.LegendText = $"sample {sample}: {seen.Length} observations";
}
plot.Title("The spirals and a few samples' irregular, noisy observations");
plot.Axes.SquareUnits();
string path = Path.Combine(output, "spirals.png");
plot.SavePng(path, 900, 700);
Console.WriteLine($"Wrote {Path.GetFullPath(path)}");
