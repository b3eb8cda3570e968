using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Examples.Spiral;
using ScottPlot;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

// torchdiffeq's ode_demo in C#: learn the spiral dy/dt = (y^3)·A from short windows of its trajectory with the
// neural ODE of spiral.ode, trained by backpropagation through dopri5.
// Run: dotnet run --project examples/Spiral [-- --iterations 2000 --every 100 --out <folder> --seed 7]
// Pictures go to output/ beside the program unless --out names a folder.
int iterations = 2000, every = 100;
long seed = 7;
string output = Path.Combine(AppContext.BaseDirectory, "output");
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--iterations": iterations = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--every": every = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": output = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}; expected --iterations, --every, --seed or --out.");
    }
}
Directory.CreateDirectory(output);
torch.set_num_threads(1);

using var training = new SpiralTraining(seed);
var clock = System.Diagnostics.Stopwatch.StartNew();
Checkpoint? last = null;
// Rendered on this thread (no auto-refresh thread): a GC started by another thread can free one of TorchSharp's
// implicit, finalizer-owned Scalars (every `a + b` makes one) while a native call still uses it.
AnsiConsole.Progress()
    .AutoRefresh(false)
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
    .Start(context =>
    {
        ProgressTask task = context.AddTask("training", maxValue: iterations);
        training.Train(iterations, every,
            onStep: (i, loss, nfe) =>
            {
                task.Description = $"iter {i,5}  batch loss {loss:F4}  NFE {nfe,3}";
                task.Increment(1);
                context.Refresh();
            },
            onCheckpoint: (checkpoint, trajectory) =>
            {
                last = checkpoint;
                Plots.Save(training.Data, trajectory, checkpoint, Path.Combine(output, $"spiral-{checkpoint.Iteration:D5}.png"));
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
                    "iter {0,5} | trajectory loss {1:F4} | batch loss {2:F4} | full-solve NFE {3}",
                    checkpoint.Iteration, checkpoint.TrajectoryLoss, checkpoint.BatchLoss, checkpoint.FunctionEvaluations);
            });
    });

File.Copy(Path.Combine(output, $"spiral-{last!.Iteration:D5}.png"), Path.Combine(output, "spiral-final.png"), overwrite: true);
Console.WriteLine($"Trained {iterations} iterations in {clock.Elapsed.TotalSeconds:F1} s: trajectory loss {last.TrajectoryLoss:F4} (mean |error| over all 1000 times).");
Console.WriteLine($"Pictures in {Path.GetFullPath(output)}");

/// <summary>The ode_demo figure: trajectories against time, and the phase portrait, true vs learned.</summary>
internal static class Plots
{
    public static void Save(SpiralData data, Tensor predicted, Checkpoint checkpoint, string path)
    {
        double[] t = data.Times.to(ScalarType.Float64).data<double>().ToArray();
        double[] trueX = Column(data.TrueY, 0), trueY = Column(data.TrueY, 1);
        double[] predX = Column(predicted, 0), predY = Column(predicted, 1);

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        Plot time = multiplot.GetPlot(0);
        time.Title($"Trajectories (iteration {checkpoint.Iteration})");
        Add(time.Add.ScatterLine(t, trueX), Colors.Green, "x true", 2);
        Add(time.Add.ScatterLine(t, trueY), Colors.DarkGreen, "y true", 2);
        Add(time.Add.ScatterLine(t, predX), Colors.Blue, "x learned", 1, dashed: true);
        Add(time.Add.ScatterLine(t, predY), Colors.Navy, "y learned", 1, dashed: true);
        time.XLabel("t");
        time.ShowLegend();

        Plot phase = multiplot.GetPlot(1);
        phase.Title($"Phase portrait, mean |error| {checkpoint.TrajectoryLoss:F3}");
        Add(phase.Add.ScatterLine(trueX, trueY), Colors.Green, "true", 2);
        Add(phase.Add.ScatterLine(predX, predY), Colors.Blue, "learned", 1, dashed: true);
        phase.XLabel("x");
        phase.YLabel("y");
        phase.Axes.SetLimits(-2.2, 2.2, -2.2, 2.2);
        phase.ShowLegend();

        multiplot.SavePng(path, 1200, 500);
    }

    private static void Add(ScottPlot.Plottables.Scatter line, ScottPlot.Color color, string label, float width, bool dashed = false)
    {
        line.Color = color;
        line.LineWidth = width;
        line.LegendText = label;
        if (dashed)
            line.LinePattern = LinePattern.Dashed;
    }

    private static double[] Column(Tensor trajectory, int column) =>
        trajectory[.., column].to(ScalarType.Float64).data<double>().ToArray();
}
