using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Examples.BouncingBall;
using OdeDsl;
using ScottPlot;
using Spectre.Console;
using static TorchSharp.torch;

// A bouncing ball as a chain of terminal events (torchdiffeq's bouncing_ball.py): learn the drop height and the
// restitution coefficient from 6 observed bounce times, by gradient descent through the event times.
// Run: dotnet run --project examples/BouncingBall -c Release [-- --iterations 500 --adjoint --out <folder>]
int iterations = 500;
bool adjoint = false;
string output = Path.Combine(AppContext.BaseDirectory, "output");
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--iterations" when i + 1 < args.Length: iterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--adjoint": adjoint = true; break;
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}; expected --iterations N, --adjoint or --out <folder>.");
    }
}
Directory.CreateDirectory(output);
set_num_threads(1);

const double trueHeight = 5.0, trueRestitution = 0.8;
const int bounces = 6;
double[] observed = Bounces.ExactTimes(trueHeight, trueRestitution, bounces);
using var fitting = new BounceFitting(observed, height0: 3.0, restitution: 0.5, adjoint);
double[] before = SimulatedTimes();
var clock = System.Diagnostics.Stopwatch.StartNew();
double loss = double.NaN;
// Rendered on this thread (no auto-refresh thread), for TorchSharp's finalizer-owned implicit Scalars.
AnsiConsole.Progress()
    .AutoRefresh(false)
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
    .Start(context =>
    {
        ProgressTask task = context.AddTask("fitting", maxValue: iterations);
        for (int i = 1; i <= iterations; i++)
        {
            loss = fitting.Step();
            task.Description = $"iter {i,4}  MSE {loss:E2} s²  h0 {fitting.Height0.item<double>():F4} m  e {fitting.Restitution.item<double>():F4}";
            task.Increment(1);
            context.Refresh();
        }
    });

var table = new Table().AddColumns("", "drop height (m)", "restitution", "bounce-time RMSE (s)");
table.AddRow("truth", F(trueHeight), F(trueRestitution), "");
table.AddRow("start", "3.0000", "0.5000", F(Rmse(before)));
table.AddRow($"fitted ({iterations} it, {(adjoint ? "adjoint" : "direct")})", F(fitting.Height0.item<double>()), F(fitting.Restitution.item<double>()), F(Rmse(SimulatedTimes())));
AnsiConsole.Write(table);
Console.WriteLine($"{iterations} iterations took {clock.Elapsed.TotalSeconds:F1} s.");

// Height against time: the truth, the start and the fit, each flight drawn from one dense solve between its bounces.
var plot = new Plot();
AddTrajectory(trueHeight, trueRestitution, "truth", Colors.Gray);
AddTrajectory(3.0, 0.5, "before fitting", Colors.Orange);
AddTrajectory(fitting.Height0.item<double>(), fitting.Restitution.item<double>(), "after fitting", Colors.Blue);
var marks = plot.Add.ScatterPoints(observed, new double[bounces]);
marks.LegendText = "observed bounce times";
marks.MarkerSize = 9;
plot.Title("Bouncing ball: drop height and restitution learned through event times");
plot.XLabel("time (s)");
plot.Legend.Alignment = Alignment.UpperRight;
plot.YLabel("height (m)");
string path = Path.Combine(output, "bouncing-ball.png");
plot.SavePng(path, 900, 500);
Console.WriteLine($"Wrote {Path.GetFullPath(path)}");

double[] SimulatedTimes()
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    var (times, _) = Bounces.Simulate(fitting.Ball, fitting.Height0, fitting.Restitution, bounces);
    return times.Select(t => t.item<double>()).ToArray();
}

double Rmse(double[] times) => Math.Sqrt(times.Zip(observed, (a, b) => (a - b) * (a - b)).Average());

void AddTrajectory(double height0, double restitution, string legend, ScottPlot.Color color)
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    var (times, after) = Bounces.Simulate(fitting.Ball, tensor(height0, float64), tensor(restitution, float64), bounces);
    var xs = new System.Collections.Generic.List<double>();
    var ys = new System.Collections.Generic.List<double>();
    Tensor state = tensor(new[] { height0, 0.0 }, float64).view(1, 2);
    double start = 0;
    for (int k = 0; k < bounces; k++)
    {
        double end = times[k].item<double>();
        using OdeSolution flight = Ode.Solve(fitting.Ball, state, tensor(new[] { start, end }, float64), Bounces.Options with { Dense = true });
        Tensor at = linspace(start, end, 60, float64);
        xs.AddRange(at.data<double>().ToArray());
        ys.AddRange(flight.Evaluate(at)[.., 0, 0].contiguous().data<double>().ToArray());
        state = after[k];
        start = end;
    }
    var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
    line.LegendText = legend;
    line.LineColor = color;
}

static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
