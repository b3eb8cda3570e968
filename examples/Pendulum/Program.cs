using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Examples.Pendulum;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

// A universal differential equation: the pendulum's known physics (gravity, with g to be calibrated) plus a small
// network that must discover the friction, fitted to damped-pendulum trajectories by the adjoint method.
// Run: dotnet run --project examples/Pendulum -c Release [-- --iterations 1000 --every 200 --seed 1 --lr 0.01 --lr-g 0.05 --penalty 0.1 --half-life 300 --out <folder>]
// Pictures go to output/ beside the program unless --out names a folder.
int iterations = 1000, every = 200;
long seed = 1;
double learningRate = 1e-2, gravityLearningRate = 5e-2, penalty = 0.1, halfLife = 300;
string output = Path.Combine(AppContext.BaseDirectory, "output");
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--iterations": iterations = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--every": every = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--seed": seed = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--lr": learningRate = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--lr-g": gravityLearningRate = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--penalty": penalty = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--half-life": halfLife = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": output = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}; expected --iterations, --every, --seed, --lr or --out.");
    }
}
Directory.CreateDirectory(output);
torch.set_num_threads(1);

using var training = new PendulumTraining(seed, learningRate, gravityLearningRate, penalty, halfLife);
Checkpoint first = training.Evaluate(0);
AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "start     | trajectory MSE {0:F5} | g {1:F3} | RMS(correction − (−c·ω)) {2:F4}",
    first.Loss, first.Gravity, first.CorrectionRms);
PendulumPlots.Save(training, first, Path.Combine(output, "pendulum-00000.png"));

var clock = System.Diagnostics.Stopwatch.StartNew();
Checkpoint last = first;
// Rendered on this thread (no auto-refresh thread): a GC started by another thread can free one of TorchSharp's
// implicit, finalizer-owned Scalars (every `a + b` makes one) while a native call still uses it.
AnsiConsole.Progress()
    .AutoRefresh(false)
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
    .Start(context =>
    {
        ProgressTask task = context.AddTask("training", maxValue: iterations);
        training.Train(iterations, every,
            onStep: (i, loss, forward, backward) =>
            {
                task.Description = string.Create(CultureInfo.InvariantCulture,
                    $"iter {i,5}  MSE {loss:F5}  NFE {forward,3} fwd + {backward,4} bwd");
                task.Increment(1);
                context.Refresh();
            },
            onCheckpoint: checkpoint =>
            {
                last = checkpoint;
                PendulumPlots.Save(training, checkpoint, Path.Combine(output, $"pendulum-{checkpoint.Iteration:D5}.png"));
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
                    "iter {0,5} | trajectory MSE {1:F5} | g {2:F3} | RMS(correction − (−c·ω)) {3:F4} | NFE {4} fwd + {5} bwd",
                    checkpoint.Iteration, checkpoint.Loss, checkpoint.Gravity, checkpoint.CorrectionRms,
                    checkpoint.ForwardEvaluations, checkpoint.BackwardEvaluations);
            });
    });
double seconds = clock.Elapsed.TotalSeconds;

File.Copy(Path.Combine(output, $"pendulum-{last.Iteration:D5}.png"), Path.Combine(output, "pendulum-final.png"), overwrite: true);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Trained {iterations} iterations in {seconds:F1} s: trajectory MSE {first.Loss:G4} → {last.Loss:G4}; learned g = {last.Gravity:F4} (true {PendulumData.Gravity}, started at {first.Gravity}); RMS(learned correction − (−{PendulumData.Friction}·ω)) over the data's states = {last.CorrectionRms:F4} (RMS of −c·ω itself: {TrueCorrectionRms(training):F4})."));
Console.WriteLine($"Pictures in {Path.GetFullPath(output)}");

static double TrueCorrectionRms(PendulumTraining training)
{
    using var scope = NewDisposeScope();
    return training.Data.TrueCorrection().square().mean().sqrt().item<double>();
}
