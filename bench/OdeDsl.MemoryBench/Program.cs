using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using OdeDsl;
using OdeDsl.Peers;
using TorchSharp;
using static TorchSharp.torch;

// Peak memory of ONE training step of a small neural ODE, backpropagation through the solver ("direct") vs the
// adjoint method (Chen et al. 2018), at N = 1k, 10k, 100k fixed RK4 steps. Each (variant, N) runs in a fresh child
// process so its peak resident memory (VmHWM) is its own. Usage:
//   dotnet run -c Release --project bench/OdeDsl.MemoryBench -- [--steps 1000,10000,100000] [--variants direct,adjoint,adjoint-autograd]
//       [--threads 1] [--batch 16] [--max-seconds 120] [--gc-gen0 0x200000] [--out FILE]
// Internal: --child VARIANT N (one case; prints one JSON line prefixed by "RESULT ").
var culture = CultureInfo.InvariantCulture;
var options = MemoryBenchOptions.Parse(args);
torch.set_num_threads(options.Threads);

if (options.ChildVariant is { } childVariant)
{
    StepResult result = TrainingStep.Run(childVariant, options.ChildSteps, options.Batch);
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
    return 0;
}

var results = new List<StepResult>();
var skipped = new List<(string Variant, int Steps, string Reason)>();
Console.WriteLine($"One training step of the spiral network (2→50→2, tanh), batch {options.Batch}, float32, RK4 on t ∈ [0, 1] with StepSize = 1/N, "
    + $"loss = mean |y(1) − target|, {options.Threads} torch thread(s); each case a fresh process.");
Console.WriteLine();
foreach (string variant in options.Variants)
{
    StepResult? small = null;
    foreach (int steps in options.Steps.OrderBy(n => n))
    {
        // Never risk the machine: extrapolate the previous (smaller) case of this variant linearly in N and skip
        // when its memory would not fit in half of what is available, or its time would exceed the budget.
        long availableBytes = MemInfo.AvailableBytes();
        if (small is not null)
        {
            double scale = (double)steps / small.Steps;
            double bytesPerStep = Math.Max(0, small.DeltaBytes) / (double)small.Steps;
            double estimatedBytes = bytesPerStep * steps;
            double estimatedSeconds = small.Seconds * scale;
            string? reason = null;
            if (estimatedBytes > 0.5 * availableBytes)
                reason = string.Format(culture, "estimated {0:F0} MB (= {1} steps × {2:F0} B/step measured at {3}) > half of MemAvailable {4:F0} MB",
                    estimatedBytes / 1e6, steps, bytesPerStep, small.Steps, availableBytes / 1e6);
            else if (estimatedSeconds > options.MaxSeconds)
                reason = string.Format(culture, "estimated {0:F0} s (= {1:F1} s at {2} steps × {3:F0}) > {4:F0} s", estimatedSeconds, small.Seconds,
                    small.Steps, scale, options.MaxSeconds);
            if (reason is not null)
            {
                skipped.Add((variant, steps, reason));
                Console.WriteLine($"{variant,-17} {steps,7}  skipped: {reason}");
                continue;
            }
        }
        StepResult? result = RunChild(variant, steps, options);
        if (result is null)
        {
            skipped.Add((variant, steps, "the child process failed (see above)"));
            continue;
        }
        results.Add(result);
        small = result;
        Console.WriteLine(string.Format(culture, "{0,-17} {1,7}  done in {2:F1} s", variant, steps, result.Seconds));
    }
}

Console.WriteLine();
Console.WriteLine("variant            steps  baseline MB  peak MB  delta MB  seconds  NFE fwd  NFE bwd  loss        grad norm  managed alloc MB  gen0 GCs");
foreach (StepResult r in results)
    Console.WriteLine(string.Format(culture, "{0,-17} {1,7} {2,12:F1} {3,8:F1} {4,9:F1} {5,8:F2} {6,8} {7,8}  {8,-10:G6}  {9,-9:G6}  {10,16:F1}  {11,8}",
        r.Variant, r.Steps, r.BaselineBytes / 1e6, r.PeakBytes / 1e6, r.DeltaBytes / 1e6, r.Seconds, r.NfeForward, r.NfeBackward, r.Loss, r.GradNorm,
        r.ManagedAllocatedBytes / 1e6, r.Gen0Collections));
foreach (var (variant, steps, reason) in skipped)
    Console.WriteLine($"{variant,-17} {steps,7}  skipped: {reason}");

// Flatness of each variant's peak from its smallest to its largest measured N.
Console.WriteLine();
foreach (var group in results.GroupBy(r => r.Variant))
{
    StepResult first = group.OrderBy(r => r.Steps).First(), last = group.OrderBy(r => r.Steps).Last();
    if (first == last)
        continue;
    double growth = (double)last.PeakBytes / first.PeakBytes - 1;
    Console.WriteLine(string.Format(culture, "{0}: peak {1:F1} MB at {2} steps → {3:F1} MB at {4} steps ({5:+0.0;-0.0}%); delta {6:F1} → {7:F1} MB",
        group.Key, first.PeakBytes / 1e6, first.Steps, last.PeakBytes / 1e6, last.Steps, 100 * growth, first.DeltaBytes / 1e6, last.DeltaBytes / 1e6));
}

string output = options.Output ?? Path.Combine(Path.GetTempPath(), $"odedsl-memory-{DateTime.UtcNow:yyyy-MM-dd-HHmmss}.json");
string? directory = Path.GetDirectoryName(Path.GetFullPath(output));
if (directory is not null)
    Directory.CreateDirectory(directory);
File.WriteAllText(output, JsonSerializer.Serialize(new
{
    meta = new
    {
        benchmark = "one training step, peak resident memory (VmHWM), each case a fresh process",
        model = "spec/models/spiral.ode (compiled; adjoint-autograd: the same network hand-written with nn.Linear)",
        method = "rk4", t1 = 1.0, gc_gen0size = options.Gen0Size, batch = options.Batch, dtype = "float32", threads = options.Threads,
        torchsharp = typeof(torch).Assembly.GetName().Version?.ToString(), dotnet = Environment.Version.ToString(),
        machine = Environment.MachineName, processors = Environment.ProcessorCount, mem_available_bytes_at_start = MemInfo.AvailableBytes(),
        started_utc = DateTime.UtcNow.ToString("s", culture) + "Z",
    },
    results = results.Select(r => new
    {
        variant = r.Variant, steps = r.Steps, accepted_steps = r.AcceptedSteps, baseline_bytes = r.BaselineBytes, peak_bytes = r.PeakBytes,
        delta_bytes = r.DeltaBytes, rss_after_bytes = r.RssAfterBytes, seconds = r.Seconds, nfe_fwd = r.NfeForward, nfe_bwd = r.NfeBackward,
        loss = r.Loss, grad_norm = r.GradNorm, managed_allocated_bytes = r.ManagedAllocatedBytes, gen0_collections = r.Gen0Collections, status = "ok",
    }).Concat(skipped.Select(s => new
    {
        variant = s.Variant, steps = s.Steps, accepted_steps = 0L, baseline_bytes = 0L, peak_bytes = 0L, delta_bytes = 0L, rss_after_bytes = 0L,
        seconds = 0.0, nfe_fwd = 0L, nfe_bwd = 0L, loss = double.NaN, grad_norm = double.NaN, managed_allocated_bytes = 0L, gen0_collections = 0,
        status = "skipped: " + s.Reason,
    })),
}, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
Console.WriteLine($"\nWrote {output}");
return 0;

static StepResult? RunChild(string variant, int steps, MemoryBenchOptions options)
{
    // The same executable: the apphost when started by `dotnet run`, or `dotnet <dll>`.
    string process = Environment.ProcessPath ?? "dotnet";
    var start = new ProcessStartInfo(process) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        start.ArgumentList.Add(typeof(StepResult).Assembly.Location);
    // --gc-gen0 caps the .NET gen0 budget of the children (DOTNET_GCgen0size), bounding the managed garbage of the step.
    if (options.Gen0Size is { } gen0Size)
        start.Environment["DOTNET_GCgen0size"] = gen0Size;
    foreach (string argument in new[] { "--child", variant, steps.ToString(CultureInfo.InvariantCulture), "--threads",
        options.Threads.ToString(CultureInfo.InvariantCulture), "--batch", options.Batch.ToString(CultureInfo.InvariantCulture) })
        start.ArgumentList.Add(argument);
    using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {process}.");
    var errors = child.StandardError.ReadToEndAsync();
    string stdout = child.StandardOutput.ReadToEnd();
    child.WaitForExit();
    string? line = stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
    if (child.ExitCode != 0 || line is null)
    {
        Console.WriteLine($"{variant} {steps}: child exited with {child.ExitCode}\n{stdout}\n{errors.Result}");
        return null;
    }
    return JsonSerializer.Deserialize<StepResult>(line["RESULT ".Length..]);
}

/// <summary>What one child process measured.</summary>
internal sealed record StepResult(string Variant, int Steps, long AcceptedSteps, long BaselineBytes, long PeakBytes, long RssAfterBytes,
    double Seconds, long NfeForward, long NfeBackward, double Loss, double GradNorm, long ManagedAllocatedBytes, int Gen0Collections)
{
    public long DeltaBytes => PeakBytes - BaselineBytes;
}

/// <summary>One training step (solve, loss, backward; no optimizer step) in this process.</summary>
internal static class TrainingStep
{
    public static StepResult Run(string variant, int steps, int batch)
    {
        nn.Module<Tensor, Tensor, Tensor> model = variant switch
        {
            "direct" or "adjoint" => CompiledSpiral(),
            "adjoint-autograd" => new SpiralNet(ScalarType.Float32),
            _ => throw new ArgumentException($"Unknown variant {variant}; expected direct, adjoint or adjoint-autograd."),
        };
        bool adjoint = variant != "direct";
        // Deterministic inputs: initial states on a circle of radius 2 (the spiral's y0 = [2, 0] and its rotations),
        // targets a rotation of them.
        double[] angles = Enumerable.Range(0, batch).Select(b => 2 * Math.PI * b / batch).ToArray();
        Tensor y0 = tensor(angles.SelectMany(a => new[] { (float)(2 * Math.Cos(a)), (float)(2 * Math.Sin(a)) }).ToArray(), new long[] { batch, 2 });
        Tensor target = tensor(angles.SelectMany(a => new[] { (float)(1.5 * Math.Cos(a + 1)), (float)(1.5 * Math.Sin(a + 1)) }).ToArray(), new long[] { batch, 2 });
        Tensor ts = tensor(new[] { 0f, 1f });

        // Warm-up: a 10-step step of the same variant, so that libtorch's and the JIT's one-off allocations belong
        // to the baseline, not to the measured step.
        Step(model, y0, target, ts, 10, adjoint);
        model.zero_grad();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long baseline = ProcStatus.Read("VmHWM");
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int gen0 = GC.CollectionCount(0);

        var clock = Stopwatch.StartNew();
        var (accepted, nfeForward, nfeBackward, loss) = Step(model, y0, target, ts, steps, adjoint);
        clock.Stop();
        long peak = ProcStatus.Read("VmHWM");
        long rss = ProcStatus.Read("VmRSS");
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        gen0 = GC.CollectionCount(0) - gen0;
        double gradNorm = Math.Sqrt(model.parameters().Sum(p => p.grad is null ? 0.0 : p.grad.to(ScalarType.Float64).square().sum().item<double>()));
        return new StepResult(variant, steps, accepted, baseline, peak, rss, clock.Elapsed.TotalSeconds, nfeForward, nfeBackward, loss, gradNorm,
            allocated, gen0);
    }

    private static (long Accepted, long NfeForward, long NfeBackward, double Loss) Step(nn.Module<Tensor, Tensor, Tensor> model, Tensor y0,
        Tensor target, Tensor ts, int steps, bool adjoint)
    {
        using var scope = NewDisposeScope();
        var options = new SolverOptions { Method = OdeMethod.Rk4, StepSize = 1.0 / steps };
        OdeSolution solution = adjoint ? Ode.SolveAdjoint(model, y0, ts, options) : Ode.Solve(model, y0, ts, options);
        Tensor loss = (solution.Ys[-1] - target).abs().mean();
        loss.backward();
        if (solution.BackwardFailure is { } failure)
            throw failure;
        return (solution.Stats.AcceptedSteps, solution.Stats.FunctionEvaluations, solution.BackwardStats?.FunctionEvaluations ?? 0, loss.item<float>());
    }

    /// <summary>spec/models/spiral.ode with the peers' closed-form weights (as bench/OdeDsl.Bench does).</summary>
    private static Examples.Neural.Spiral CompiledSpiral()
    {
        var model = new Examples.Neural.Spiral();
        using var noGrad = no_grad();
        model.get_parameter("W1")!.copy_(tensor(PeerNetworks.SinMatrix(50, 2, 0.14, 0.1), new long[] { 50, 2 }, ScalarType.Float64).to(ScalarType.Float32));
        model.get_parameter("b1")!.zero_();
        model.get_parameter("W2")!.copy_(tensor(PeerNetworks.SinMatrix(2, 50, 0.14, 0.2), new long[] { 2, 50 }, ScalarType.Float64).to(ScalarType.Float32));
        model.get_parameter("b2")!.zero_();
        return model;
    }
}

/// <summary>Fields of /proc/self/status, in bytes.</summary>
internal static class ProcStatus
{
    public static long Read(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return KiloBytes(line);
        throw new InvalidOperationException($"/proc/self/status has no {field} (this benchmark needs Linux).");
    }

    public static long KiloBytes(string line) =>
        1024 * long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}

/// <summary>/proc/meminfo's MemAvailable, in bytes.</summary>
internal static class MemInfo
{
    public static long AvailableBytes() =>
        File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal)).Select(ProcStatus.KiloBytes).First();
}

internal sealed record MemoryBenchOptions(IReadOnlyList<int> Steps, IReadOnlyList<string> Variants, int Threads, int Batch, double MaxSeconds,
    string? Output, string? ChildVariant, int ChildSteps, string? Gen0Size)
{
    public static MemoryBenchOptions Parse(string[] args)
    {
        var steps = new List<int> { 1_000, 10_000, 100_000 };
        var variants = new List<string> { "direct", "adjoint", "adjoint-autograd" };
        int threads = 1, batch = 16, childSteps = 0;
        double maxSeconds = 120;
        string? output = null, childVariant = null, gen0Size = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--steps": steps = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(); break;
                case "--variants": variants = Next().Split(',').ToList(); break;
                case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max-seconds": maxSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": output = Next(); break;
                case "--gc-gen0": gen0Size = Next(); break;
                case "--child":
                    childVariant = Next();
                    childSteps = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}; expected --steps, --variants, --threads, --batch, --max-seconds, --gc-gen0 or --out.");
            }
        }
        return new MemoryBenchOptions(steps, variants, threads, batch, maxSeconds, output, childVariant, childSteps, gen0Size);
    }
}
