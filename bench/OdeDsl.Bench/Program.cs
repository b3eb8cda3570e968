using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using OdeDsl;
using OdeDsl.Bench;
using OdeDsl.Peers;
using TorchSharp;
using static TorchSharp.torch;

// Runs the peer benchmark problems with OdeDsl and compares them with the torchdiffeq figures measured on these
// machines. Usage: dotnet run -c Release --project bench/OdeDsl.Bench -- [--threads 1,2] [--only P1,P2] [--reps 5] [--out FILE] [--peers FILE|DIR]
// or -- --memory to show that memory stays flat over 100k-step solves.
if (args.Length > 0 && args[0] == "--memory")
{
    MemoryProbe.Run();
    return;
}
var arguments = Arguments.Parse(args);
string repoRoot = FindRepoRoot();
var peers = PeerResults.Load(arguments.Peers ?? Path.Combine(repoRoot, "bench", "peers"));
var measurements = new List<Measurement>();

foreach (int threads in arguments.Threads)
{
    torch.set_num_threads(threads);
    foreach (var (problem, variant, library, dtype, run) in Cases())
    {
        if (arguments.Only.Count > 0 && !arguments.Only.Contains(problem))
            continue;
        Measurement m = Harness.Measure(problem, variant, library, DtypeName(dtype), threads, run, arguments.Reps);
        measurements.Add(m);
        Print(m, peers);
    }
}

string output = arguments.Output ?? Path.Combine(repoRoot, "bench", "results", $"odedsl-{DateTime.UtcNow:yyyy-MM-dd}.json");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, JsonSerializer.Serialize(new
{
    meta = new { library = "odedsl", torchsharp = typeof(torch).Assembly.GetName().Version?.ToString(), dotnet = Environment.Version.ToString(),
        machine = Environment.MachineName, processors = Environment.ProcessorCount, started_utc = DateTime.UtcNow.ToString("s", CultureInfo.InvariantCulture) + "Z" },
    results = measurements.Select(m => new
    {
        problem = m.Problem, variant = m.Variant, library = m.Library, dtype = m.Dtype, threads = m.Threads,
        median_ms = m.MedianMs, min_ms = m.MinMs, times_ms = m.TimesMs, reps = m.Reps, nfe = m.Nfe, check = m.Check, status = "ok",
    }),
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"\nWrote {output}");

static IEnumerable<(string Problem, string Variant, string Library, ScalarType Dtype, Func<RunResult> Run)> Cases()
{
    CheckWeights();
    // P1 a-fwd-true-dyn: the spiral data solve, dopri5 rtol 1e-7 atol 1e-9, float32.
    yield return ("P1", "a-fwd-true-dyn", "odedsl", ScalarType.Float32, () =>
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (y0, ts) = PeerProblems.SpiralInputs(ScalarType.Float32);
        using var model = new SpiralTrue(ScalarType.Float32);
        var solution = Ode.Solve(model, y0, ts, new SolverOptions { RelTol = 1e-7, AbsTol = 1e-9 });
        float[] end = solution.Ys[-1, 0].data<float>().ToArray();
        return new RunResult(solution.Stats.FunctionEvaluations, new Dictionary<string, object> { ["y_end"] = end });
    });
    // P1 a-fwd-model: the untrained network over the whole trajectory (no grad).
    yield return ("P1", "a-fwd-model", "odedsl", ScalarType.Float32, () => ForwardModel(new SpiralNet(ScalarType.Float32)));
    // The same network compiled from spec/models/spiral.ode, with the same closed-form weights.
    yield return ("P1", "a-fwd-model", "odedsl-generated", ScalarType.Float32, () => ForwardModel(PeerProblems.CompiledSpiral()));
    // P1 b-train-direct: one training iteration with backpropagation through the solver (no optimizer step).
    yield return ("P1", "b-train-direct", "odedsl", ScalarType.Float32, () => TrainStep(SpiralModel.Value));
    yield return ("P1", "b-train-direct", "odedsl-generated", ScalarType.Float32, () => TrainStep(CompiledSpiralModel.Value));
    // P1 c-train-adjoint: the same iteration with gradients by the adjoint method.
    yield return ("P1", "c-train-adjoint", "odedsl", ScalarType.Float32, () => TrainStep(SpiralModel.Value, adjoint: true));
    yield return ("P1", "c-train-adjoint", "odedsl-generated", ScalarType.Float32, () => TrainStep(CompiledSpiralModel.Value, adjoint: true));
    // P2 fwd: 1024 Lorenz trajectories, dopri5 rtol 1e-6 atol 1e-8, float32 and float64.
    foreach (ScalarType dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
    {
        // The hand-written module, and the model compiled from spec/models/lorenz.ode.
        yield return ("P2", "fwd", "odedsl", dtype, () => SolveLorenz(new LorenzModule(dtype), dtype));
        yield return ("P2", "fwd", "odedsl-generated", dtype, () => SolveLorenz(PeerProblems.CompiledLorenz(dtype), dtype));
        // L = Σ y(10), gradients for σ, ρ, β: through the steps, and by the adjoint method.
        yield return ("P2", "grad-direct", "odedsl-generated", dtype, () => LorenzGradient(PeerProblems.CompiledLorenz(dtype), dtype, adjoint: false));
        yield return ("P2", "grad-adjoint", "odedsl", dtype, () => LorenzGradient(new LorenzModule(dtype), dtype, adjoint: true));
        yield return ("P2", "grad-adjoint", "odedsl-generated", dtype, () => LorenzGradient(PeerProblems.CompiledLorenz(dtype), dtype, adjoint: true));
        // Tsitouras 5(4) on the same problem (torchdiffeq's tsit5 measured by bench/peers/torchdiffeq_tsit5.py).
        yield return ("P2", "fwd-tsit5", "odedsl-generated", dtype, () => SolveLorenz(PeerProblems.CompiledLorenz(dtype), dtype, method: OdeMethod.Tsit5));
        // torchode's semantics: a step size, error norm and accept/reject decision per trajectory.
        yield return ("P2", "fwd", "odedsl-per-sample", dtype, () => SolveLorenz(PeerProblems.CompiledLorenz(dtype), dtype, perSample: true));
    }
    // P3/P4: the NLL of a flow and its gradients with the exact trace (the generated closed-form divergence),
    // through the steps and by the adjoint, dopri5 rtol = atol = 1e-5 on t ∈ [0, 1].
    foreach (string problem in new[] { "P3", "P4" })
    {
        yield return (problem, "exact-direct", "odedsl-generated", ScalarType.Float32, () => FlowNll(problem, adjoint: false));
        yield return (problem, "exact-adjoint", "odedsl-generated", ScalarType.Float32, () => FlowNll(problem, adjoint: true));
        // Hutchinson's estimate with the peers' fixed signs R(B, D), through the generated forward-mode product.
        yield return (problem, "hutch-direct", "odedsl-generated", ScalarType.Float32, () => FlowNll(problem, adjoint: false, hutchinson: true));
        yield return (problem, "hutch-adjoint", "odedsl-generated", ScalarType.Float32, () => FlowNll(problem, adjoint: true, hutchinson: true));
    }
}

static RunResult FlowNll(string problem, bool adjoint, bool hutchinson = false)
{
    using var scope = NewDisposeScope();
    OdeModel flow = CnfFlows.Get(problem);
    Tensor x = CnfFlows.Data(problem);
    flow.zero_grad();
    var options = new CnfOptions
    {
        Adjoint = adjoint, Solver = new SolverOptions { RelTol = 1e-5, AbsTol = 1e-5 },
        Trace = hutchinson ? TraceEstimator.HutchinsonRademacher : TraceEstimator.Exact, NoiseValues = hutchinson ? PeerProblems.Signs(x.shape[0], x.shape[1]) : null,
    };
    FlowDensity density = Cnf.Evaluate(flow, x, options);
    OdeSolution solution = density.Solution;
    Tensor nll = -density.LogProb.mean();
    nll.backward();
    double gradNorm = Math.Sqrt(flow.parameters().Sum(p => p.grad is null ? 0.0 : p.grad.to(ScalarType.Float64).square().sum().item<double>()));
    return new RunResult(solution.Stats.FunctionEvaluations + (solution.BackwardStats?.FunctionEvaluations ?? 0), new Dictionary<string, object>
    {
        ["nll"] = nll.item<float>(),
        ["grad_norm"] = gradNorm,
    });
}

static RunResult ForwardModel(nn.Module<Tensor, Tensor, Tensor> model)
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    using var owned = model;
    var (y0, ts) = PeerProblems.SpiralInputs(ScalarType.Float32);
    var solution = Ode.Solve(model, y0, ts, new SolverOptions { RelTol = 1e-7, AbsTol = 1e-9 });
    return new RunResult(solution.Stats.FunctionEvaluations, new Dictionary<string, object>
    {
        ["y_end"] = solution.Ys[-1, 0].data<float>().ToArray(),
        ["mean_abs_vs_true"] = (solution.Ys - SpiralData.Value).abs().mean().item<float>(),
    });
}

static RunResult TrainStep(nn.Module<Tensor, Tensor, Tensor> model, bool adjoint = false)
{
    using var scope = NewDisposeScope();
    var (_, ts) = PeerProblems.SpiralInputs(ScalarType.Float32);
    var (batchY0, batchT, batchY) = SpiralBatch(SpiralData.Value, ts);
    model.zero_grad();
    var options = new SolverOptions { RelTol = 1e-7, AbsTol = 1e-9 };
    var solution = adjoint ? Ode.SolveAdjoint(model, batchY0, batchT, options) : Ode.Solve(model, batchY0, batchT, options);
    Tensor loss = (solution.Ys - batchY).abs().mean();
    loss.backward();
    double gradNorm = Math.Sqrt(model.parameters().Sum(p => p.grad is null ? 0.0 : p.grad.to(ScalarType.Float64).square().sum().item<double>()));
    return new RunResult(solution.Stats.FunctionEvaluations + (solution.BackwardStats?.FunctionEvaluations ?? 0), new Dictionary<string, object>
    {
        ["loss"] = loss.item<float>(),
        ["grad_norm"] = gradNorm,
        ["nfe_fwd"] = solution.Stats.FunctionEvaluations,
        ["nfe_bwd"] = solution.BackwardStats?.FunctionEvaluations ?? 0,
    });
}

static RunResult LorenzGradient(nn.Module<Tensor, Tensor, Tensor> model, ScalarType dtype, bool adjoint)
{
    using var scope = NewDisposeScope();
    using var owned = model;
    var (y0, ts) = PeerProblems.LorenzInputs(dtype);
    model.zero_grad();
    var options = new SolverOptions { RelTol = 1e-6, AbsTol = 1e-8 };
    var solution = adjoint ? Ode.SolveAdjoint(model, y0, ts, options) : Ode.Solve(model, y0, ts, options);
    Tensor loss = solution.Ys[-1].sum();
    loss.backward();
    double[] gradients = model.parameters().Select(p => p.grad!.to(ScalarType.Float64).item<double>()).ToArray();
    return new RunResult(solution.Stats.FunctionEvaluations + (solution.BackwardStats?.FunctionEvaluations ?? 0), new Dictionary<string, object>
    {
        ["loss"] = loss.to(ScalarType.Float64).item<double>(),
        ["grad_sigma_rho_beta"] = gradients,
        ["nfe_fwd"] = solution.Stats.FunctionEvaluations,
        ["nfe_bwd"] = solution.BackwardStats?.FunctionEvaluations ?? 0,
    });
}

static (Tensor Y0, Tensor T, Tensor Y) SpiralBatch(Tensor trueY, Tensor ts)
{
    // Windows starting at s_k = 7 + 49k, k = 0..19, of 10 consecutive times (PROBLEMS.md §3).
    long[] starts = Enumerable.Range(0, 20).Select(k => 7L + 49 * k).ToArray();
    Tensor index = tensor(starts);
    Tensor y0 = trueY.index_select(0, index).squeeze(1);                                        // [20, 2]
    Tensor batchY = stack(Enumerable.Range(0, 10).Select(i => trueY.index_select(0, index + i).squeeze(1)), 0); // [10, 20, 2]
    return (y0, ts[..10], batchY);
}

static RunResult SolveLorenz(nn.Module<Tensor, Tensor, Tensor> model, ScalarType dtype, bool perSample = false, OdeMethod method = OdeMethod.Dopri5)
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    using var owned = model;
    var (y0, ts) = PeerProblems.LorenzInputs(dtype);
    var solution = Ode.Solve(model, y0, ts, new SolverOptions { Method = method, RelTol = 1e-6, AbsTol = 1e-8, PerSampleSteps = perSample });
    double finalSum = solution.Ys[-1].to(ScalarType.Float64).sum().item<double>();
    return new RunResult(solution.Stats.FunctionEvaluations, new Dictionary<string, object> { ["final_sum"] = finalSum });
}

static void Print(Measurement m, PeerResults peers)
{
    var td = peers.Find("torchdiffeq", m);
    var to = peers.Find("torchode", m);
    string peer = m.Library.EndsWith("per-sample", StringComparison.Ordinal) && to is { } q
        ? string.Format(CultureInfo.InvariantCulture, "torchode    {0,8:F1} ms (NFE {1,5}) | ratio {2,5:F2}×", q.MedianMs, q.Nfe, m.MedianMs / q.MedianMs)
        : td is { } p
        ? string.Format(CultureInfo.InvariantCulture, "torchdiffeq {0,8:F1} ms (NFE {1,5}) | ratio {2,5:F2}×", p.MedianMs, p.Nfe, m.MedianMs / p.MedianMs)
        : "torchdiffeq: not measured";
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
        "{0} {1,-15} {10,-16} {2,-7} thr {3} | median {4,8:F1} ms  min {5,8:F1} ms  reps {6} | NFE {7,5} | {8} | {9}",
        m.Problem, m.Variant, m.Dtype, m.Threads, m.MedianMs, m.MinMs, m.Reps, m.Nfe, peer, JsonSerializer.Serialize(m.Check), m.Library));
}

// PROBLEMS.md §7: the generated weights must match the peers' checksums.
static void CheckWeights()
{
    using var net = new SpiralNet(ScalarType.Float32);
    var (sum, abs, sq) = PeerProblems.Checksum(net.L1.weight!);
    bool ok = Math.Abs(sum - 0.0359470896656) < 1e-9 && Math.Abs(abs - 9.01529644954) < 1e-8 && Math.Abs(sq - 0.984721826609) < 1e-9;
    var (sum2, abs2, sq2) = PeerProblems.Checksum(net.L2.weight!);
    ok &= Math.Abs(sum2 + 0.138965158972) < 1e-9 && Math.Abs(abs2 - 8.75274911781) < 1e-8 && Math.Abs(sq2 - 0.930756825298) < 1e-9;
    Console.WriteLine(ok ? "P1 weight checksums match PROBLEMS.md §7." : $"P1 weight checksums DIFFER: {sum} {abs} {sq} / {sum2} {abs2} {sq2}");
    // P3/P4: the first layer's weight and the data, against the peers' checksums (PROBLEMS.md §7).
    foreach (var (problem, weightSum, dataSum) in new[] { ("P3", -1.79208335932, 0.926725749974), ("P4", 4.8218291376, 1.35182086900) })
    {
        var (w, _, _) = PeerProblems.Checksum(PeerProblems.CnfFlow(problem).get_parameter("c0.W")!);
        var (x, _, _) = PeerProblems.Checksum(PeerProblems.CnfData(problem));
        bool same = Math.Abs(w - weightSum) < 1e-6 && Math.Abs(x - dataSum) < 1e-6;
        Console.WriteLine(same ? $"{problem} weight and data checksums match PROBLEMS.md §7." : $"{problem} checksums DIFFER: weight {w}, data {x}");
    }
}

static string DtypeName(ScalarType dtype) => dtype == ScalarType.Float32 ? "float32" : "float64";

static string FindRepoRoot()
{
    string? dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "OdeDsl.sln")))
        dir = Path.GetDirectoryName(dir);
    return dir ?? Directory.GetCurrentDirectory();
}

/// <summary>The P3/P4 flows and data, made once and reused by every run of a case.</summary>
internal static class CnfFlows
{
    private static readonly Dictionary<string, (OdeModel Flow, Tensor Data)> Made = new();

    public static OdeModel Get(string problem) => Make(problem).Flow;

    public static Tensor Data(string problem) => Make(problem).Data;

    private static (OdeModel Flow, Tensor Data) Make(string problem)
    {
        if (!Made.TryGetValue(problem, out var made))
            Made[problem] = made = (PeerProblems.CnfFlow(problem), PeerProblems.CnfData(problem).DetachFromDisposeScope());
        return made;
    }
}

/// <summary>P1's data (the true spiral, solved once) and the model the training iteration reuses.</summary>
internal static class SpiralData
{
    private static Tensor? value;

    public static Tensor Value => value ??= Create();

    private static Tensor Create()
    {
        using var noGrad = no_grad();
        var (y0, ts) = PeerProblems.SpiralInputs(ScalarType.Float32);
        using var truth = new SpiralTrue(ScalarType.Float32);
        return Ode.Solve(truth, y0, ts, new SolverOptions { RelTol = 1e-7, AbsTol = 1e-9 }).Ys.DetachFromDisposeScope();
    }
}

internal static class CompiledSpiralModel
{
    private static Examples.Neural.Spiral? value;

    public static Examples.Neural.Spiral Value => value ??= PeerProblems.CompiledSpiral();
}

internal static class SpiralModel
{
    private static SpiralNet? value;

    public static SpiralNet Value => value ??= new SpiralNet(ScalarType.Float32);
}

internal sealed record Arguments(IReadOnlyList<int> Threads, IReadOnlySet<string> Only, int Reps, string? Output, string? Peers)
{
    public static Arguments Parse(string[] args)
    {
        var threads = new List<int> { 1, 2 };
        var only = new HashSet<string>();
        int reps = 5;
        string? output = null, peers = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--threads": threads = args[i + 1].Split(',').Select(int.Parse).ToList(); break;
                case "--only": only = args[i + 1].Split(',').ToHashSet(); break;
                case "--reps": reps = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--out": output = args[i + 1]; break;
                case "--peers": peers = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown option {args[i]}; expected --threads, --only, --reps, --out or --peers.");
            }
        }
        return new Arguments(threads, only, reps, output, peers);
    }
}
