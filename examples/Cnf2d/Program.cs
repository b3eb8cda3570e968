using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Examples.Cnf2d;
using OdeDsl;
using ScottPlot;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

// FFJORD's 2-D toys in C#: the continuous normalizing flow of cnf2d.ode learns the two-moons (or two-circles)
// density by maximum likelihood, with the exact generated trace and gradients by the adjoint method.
// Run: dotnet run --project examples/Cnf2d [-- --data moons|circles --iterations 2000 --seed 1 --out <folder>]
// Pictures go to output/ beside the program unless --out names a folder.
string data = "moons", output = Path.Combine(AppContext.BaseDirectory, "output");
int iterations = 2000;
long seed = 1;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--data": data = args[i + 1]; break;
        case "--iterations": iterations = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": output = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}; expected --data, --iterations, --seed or --out.");
    }
}
Directory.CreateDirectory(output);
torch.set_num_threads(1);

using var training = new FlowTraining(data, seed);
using Tensor heldOut = training.Sample(2000);
double before = training.Evaluate(heldOut);
var clock = System.Diagnostics.Stopwatch.StartNew();
// Rendered on this thread (no auto-refresh thread): a GC started by another thread can free one of TorchSharp's
// implicit, finalizer-owned Scalars (every `a + b` makes one) while a native call still uses it.
AnsiConsole.Progress()
    .AutoRefresh(false)
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
    .Start(context =>
    {
        ProgressTask task = context.AddTask("training", maxValue: iterations);
        training.Train(iterations, step =>
        {
            task.Description = $"iter {step.Iteration,5}  NLL {step.Nll:F3} nats  NFE fwd {step.ForwardEvaluations,3} bwd {step.BackwardEvaluations,3}";
            task.Increment(1);
            context.Refresh();
        });
    });
double after = training.Evaluate(heldOut);
Console.WriteLine($"Trained {iterations} iterations in {clock.Elapsed.TotalSeconds:F1} s: held-out NLL {before:F3} → {after:F3} nats.");

using (no_grad())
{
    FlowPlots.Density(training.Flow, Path.Combine(output, $"{data}-density.png"), after);
    using Tensor samples = Cnf.Sample(training.Flow, 2000, FlowTraining.Options);
    FlowPlots.Samples(heldOut, samples, Path.Combine(output, $"{data}-samples.png"));
}
Console.WriteLine($"Pictures in {Path.GetFullPath(output)}");

/// <summary>The learned density as a heat map, and samples of the flow next to the data.</summary>
internal static class FlowPlots
{
    private const double Extent = 4.0;
    private const int Cells = 120;

    public static void Density(Examples.Flows.Cnf2d flow, string path, double nll)
    {
        using var scope = NewDisposeScope();
        Tensor axis = torch.linspace(-Extent, Extent, Cells, dtype: float32);
        Tensor grid = torch.stack(torch.meshgrid(new[] { axis, axis }, indexing: "xy").Select(g => g.reshape(-1)).ToArray(), 1);
        Tensor density = Cnf.LogProb(flow, grid, FlowTraining.Options).exp().reshape(Cells, Cells);
        float[] values = density.data<float>().ToArray();
        var intensities = new double[Cells, Cells];
        for (int row = 0; row < Cells; row++)
        {
            for (int column = 0; column < Cells; column++)
                intensities[Cells - 1 - row, column] = values[row * Cells + column]; // row 0 of the picture is the top
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new CoordinateRect(-Extent, Extent, -Extent, Extent);
        plot.Title($"Learned density (held-out NLL {nll:F3} nats)");
        plot.Axes.SetLimits(-Extent, Extent, -Extent, Extent);
        plot.SavePng(path, 600, 600);
    }

    public static void Samples(Tensor data, Tensor samples, string path)
    {
        var plot = new Plot();
        var real = plot.Add.ScatterPoints(Column(data, 0), Column(data, 1));
        real.Color = Colors.Gray.WithAlpha(0.5);
        real.LegendText = "data";
        var drawn = plot.Add.ScatterPoints(Column(samples, 0), Column(samples, 1));
        drawn.Color = Colors.Blue.WithAlpha(0.5);
        drawn.LegendText = "flow samples";
        plot.Title("Samples: the base N(0, I) flowed back to the data");
        plot.Axes.SetLimits(-Extent, Extent, -Extent, Extent);
        plot.ShowLegend();
        plot.SavePng(path, 600, 600);
    }

    private static double[] Column(Tensor points, int column) => points[.., column].to(ScalarType.Float64).data<double>().ToArray();
}
