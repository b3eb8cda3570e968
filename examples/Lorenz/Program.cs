using System;
using System.IO;
using System.Linq;
using OdeDsl;
using ScottPlot;
using TorchSharp;
using static TorchSharp.torch;

// The Lorenz attractor: the model is compiled from lorenz.ode at build time (Examples.Physics.Lorenz); solve
// 16 nearby trajectories with dopri5, print what it cost, and draw the x–z projection.
// Run: dotnet run --project examples/Lorenz [-- <picture.png>]   (default: output/lorenz.png beside the program)
string output = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "output", "lorenz.png");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);

using var scope = NewDisposeScope();
// Build the model in double precision so that beta = 8/3 is not first rounded to float32.
torch.set_default_dtype(ScalarType.Float64);
using var model = new Examples.Physics.Lorenz();
const int batch = 16;
// Sixteen starts 1e-3 apart: chaos separates them within a few time units.
var y0 = tensor(Enumerable.Range(0, batch).SelectMany(i => new[] { 1.0 + 1e-3 * i, 1.0, 1.0 }).ToArray(), new long[] { batch, 3 });
var ts = linspace(0.0, 40.0, 8001, ScalarType.Float64);

var clock = System.Diagnostics.Stopwatch.StartNew();
OdeSolution solution = Ode.Solve(model, y0, ts, new SolverOptions { Method = OdeMethod.Dopri5, RelTol = 1e-8, AbsTol = 1e-10 });
clock.Stop();

Console.WriteLine($"Lorenz (σ = 10, ρ = 28, β = 8/3), {batch} trajectories, t ∈ [0, 40], dopri5 rtol 1e-8 atol 1e-10");
Console.WriteLine($"  {solution.Stats}");
Console.WriteLine($"  solved in {clock.Elapsed.TotalMilliseconds:F0} ms; Ys has shape [{string.Join(", ", solution.Ys.shape)}]");
double[] end = solution.Ys[-1, 0].data<double>().ToArray();
Console.WriteLine($"  y(40) of the first trajectory: ({end[0]:F4}, {end[1]:F4}, {end[2]:F4})");

var plot = new Plot();
var palette = new ScottPlot.Palettes.Category10();
for (int b = 0; b < batch; b += 5)
{
    double[] x = solution.Ys[.., b, 0].data<double>().ToArray();
    double[] z = solution.Ys[.., b, 2].data<double>().ToArray();
    var line = plot.Add.ScatterLine(x, z);
    line.Color = palette.GetColor(b / 5).WithAlpha(0.7);
    line.LineWidth = 1;
    line.LegendText = $"x0 = {1.0 + 1e-3 * b:F3}";
}
plot.Title("Lorenz attractor (x–z projection), OdeDsl dopri5");
plot.XLabel("x");
plot.YLabel("z");
plot.ShowLegend();
plot.SavePng(output, 900, 700);
Console.WriteLine($"  wrote {Path.GetFullPath(output)}");
