using System;
using System.Linq;
using OdeDsl;
using OdeDsl.Runtime.Tests.Flows;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// <see cref="Cnf"/> against closed forms and finite differences: a linear flow dz/dt = A z has z(T) = e^{TA} x and
/// log-determinant T·tr(A); gradients of the NLL of a neural flow through the steps (autograd through the generated
/// divergence), by the adjoint (the generated FlowVjp) and by central finite differences agree; bad input is refused
/// by name.
/// </summary>
[Collection("TorchSharp's global generator")]
public sealed class CnfTests
{
    private static readonly SolverOptions Tight = new() { RelTol = 1e-10, AbsTol = 1e-10 };

    private static LinearFlow NewLinearFlow()
    {
        torch.manual_seed(3);
        var flow = new LinearFlow();
        flow.to(float64);
        return flow;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void LinearFlowHasItsClosedFormLogDensity(double endTime)
    {
        using var scope = NewDisposeScope();
        LinearFlow flow = NewLinearFlow();
        Tensor a = flow.get_parameter("A")!.detach();
        Tensor x = torch.randn(8, 3, dtype: float64, generator: new torch.Generator(1));

        Tensor logp = Cnf.LogProb(flow, x, new CnfOptions { EndTime = endTime, Solver = Tight });

        Tensor z = x.matmul(torch.linalg.matrix_exp(a * endTime).t());
        Tensor expected = z.square().sum(new long[] { 1 }) * -0.5 - 1.5 * Math.Log(2 * Math.PI) + endTime * a.trace();
        Assert.True((logp - expected).abs().max().item<double>() < 1e-8, $"max |error| {(logp - expected).abs().max().item<double>()}");
    }

    [Fact]
    public void SamplesAreTheBaseFlowedBackwards()
    {
        using var scope = NewDisposeScope();
        LinearFlow flow = NewLinearFlow();
        Tensor a = flow.get_parameter("A")!.detach();

        torch.manual_seed(11);
        Tensor samples = Cnf.Sample(flow, 6, new CnfOptions { Solver = Tight });
        torch.manual_seed(11);
        Tensor z = torch.randn(6, 3, dtype: float64);

        Tensor expected = z.matmul(torch.linalg.matrix_exp(-a).t());
        Assert.Equal(new long[] { 6, 3 }, samples.shape);
        Assert.True((samples - expected).abs().max().item<double>() < 1e-8);
    }

    [Fact]
    public void NllGradientsAgreeThroughTheStepsByTheAdjointAndByFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var flow = new Examples.Flows.Cnf2d();
        flow.to(float64);
        // Its adjoint takes the generated FlowVjp (second-order terms written out), not autograd.
        Assert.IsAssignableFrom<IHasFlowVjp>(flow);
        Tensor x = torch.randn(4, 2, dtype: float64, generator: new torch.Generator(2));
        var solver = new SolverOptions { RelTol = 1e-9, AbsTol = 1e-9 };
        Tensor Nll(bool adjoint) => -Cnf.LogProb(flow, x, new CnfOptions { Solver = solver, Adjoint = adjoint }).mean();

        Tensor[] Gradients(bool adjoint)
        {
            flow.zero_grad();
            Nll(adjoint).backward();
            return flow.parameters().Select(p => p.grad!.clone()).ToArray();
        }

        Tensor[] direct = Gradients(adjoint: false), viaAdjoint = Gradients(adjoint: true);
        var parameters = flow.parameters().ToArray();
        for (int p = 0; p < parameters.Length; p++)
        {
            double scale = Math.Max(direct[p].abs().max().item<double>(), 1e-3);
            Assert.True((direct[p] - viaAdjoint[p]).abs().max().item<double>() < 1e-5 * scale, $"parameter {p}: adjoint differs from direct");
        }

        // Central finite differences on a few elements of the first and last layers' weights.
        using var noGrad = no_grad();
        foreach ((int p, long i) in new[] { (0, 0L), (0, 5L), (4, 1L), (5, 0L) })
        {
            Tensor flat = parameters[p].view(-1);
            double original = flat[i].item<double>(), step = 1e-5;
            flat[i] = original + step;
            double up = Nll(false).item<double>();
            flat[i] = original - step;
            double down = Nll(false).item<double>();
            flat[i] = original;
            double difference = (up - down) / (2 * step), analytic = direct[p].view(-1)[i].item<double>();
            Assert.True(Math.Abs(difference - analytic) < 1e-5 * Math.Max(1.0, Math.Abs(difference)), $"parameter {p}[{i}]: {analytic} vs finite differences {difference}");
        }
    }

    /// <summary>
    /// Hutchinson's estimate is unbiased: over many noise draws the mean log-density is within its confidence
    /// interval of the exact one (the log-density is linear in the per-solve estimate); a seeded generator repeats a solve.
    /// </summary>
    [Theory]
    [InlineData(TraceEstimator.HutchinsonRademacher)]
    [InlineData(TraceEstimator.HutchinsonGaussian)]
    public void HutchinsonIsUnbiasedAndRepeatable(TraceEstimator estimator)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(8);
        var flow = new Examples.Flows.Cnf2d();
        flow.to(float64);
        Tensor x = torch.randn(4, 2, dtype: float64, generator: new torch.Generator(4));
        var solver = new SolverOptions { RelTol = 1e-8, AbsTol = 1e-8 };
        using var noGrad = no_grad();
        Tensor exact = Cnf.LogProb(flow, x, new CnfOptions { Solver = solver });

        const int draws = 300;
        Tensor estimates = stack(Enumerable.Range(0, draws).Select(seed =>
            Cnf.LogProb(flow, x, new CnfOptions { Solver = solver, Trace = estimator, Noise = new torch.Generator((ulong)(seed + 1)) })).ToArray());
        Tensor mean = estimates.mean(new long[] { 0 }), spread = estimates.std(0);
        Tensor bound = spread * (4.0 / Math.Sqrt(draws)) + 1e-6;
        Assert.True(((mean - exact).abs() <= bound).all().item<bool>(), $"mean {mean.str()} exact {exact.str()} bound {bound.str()}");
        Assert.True(spread.max().item<double>() > 0, "the estimate does not vary with the noise");

        Tensor again = Cnf.LogProb(flow, x, new CnfOptions { Solver = solver, Trace = estimator, Noise = new torch.Generator(5) });
        Assert.Equal(0.0, (again - estimates[4]).abs().max().item<double>());
        // The same noise given as values (as the benchmark gives the peers' fixed signs).
        var generator = new torch.Generator(5);
        Tensor noise = estimator == TraceEstimator.HutchinsonRademacher
            ? torch.randint(0, 2, x.shape, dtype: float64, generator: generator).mul_(2).sub_(1)
            : torch.randn(x.shape, dtype: float64, generator: generator);
        Tensor given = Cnf.LogProb(flow, x, new CnfOptions { Solver = solver, Trace = estimator, NoiseValues = noise });
        Assert.Equal(0.0, (given - estimates[4]).abs().max().item<double>());
    }

    /// <summary>
    /// RNODE's regularisers on the linear flow dz/dt = A z: ∫‖A‖²_F dt = T·‖A‖²_F exactly, and ∫|A z(t)|² dt with
    /// z(t) = e^{tA}x by Simpson's rule on 2001 points; both through the solve alongside log p.
    /// </summary>
    [Fact]
    public void RegularizersIntegrateTheKineticEnergyAndTheJacobiansFrobeniusNorm()
    {
        using var scope = NewDisposeScope();
        LinearFlow flow = NewLinearFlow();
        Tensor a = flow.get_parameter("A")!.detach();
        Tensor x = torch.randn(5, 3, dtype: float64, generator: new torch.Generator(9));
        const double endTime = 0.8;

        FlowDensity density = Cnf.Evaluate(flow, x, new CnfOptions
        {
            EndTime = endTime, Solver = Tight, Regularizers = FlowRegularizers.KineticEnergy | FlowRegularizers.JacobianFrobenius,
        });

        Assert.True((density.JacobianFrobenius! - endTime * a.square().sum()).abs().max().item<double>() < 1e-9);
        // The solution is the caller's: z, Δ and both integrals at 0 and T.
        Assert.Equal(new long[] { 2, 5, 6 }, density.Solution.Ys.shape);
        Assert.Equal(0.0, (density.Solution.Ys[0, .., 0..3] - x).abs().max().item<double>());
        const int points = 2001;
        double h = endTime / (points - 1);
        Tensor kinetic = zeros(5, dtype: float64);
        for (int k = 0; k < points; k++)
        {
            double weight = k == 0 || k == points - 1 ? 1 : k % 2 == 1 ? 4 : 2;
            Tensor velocity = x.matmul(torch.linalg.matrix_exp(a * (k * h)).t()).matmul(a.t());
            kinetic += weight * h / 3 * velocity.square().sum(new long[] { 1 });
        }
        Assert.True((density.KineticEnergy! - kinetic).abs().max().item<double>() < 1e-8 * (1 + kinetic.abs().max().item<double>()));
        // The log-density is unchanged by carrying the regularisers.
        Assert.True((density.LogProb - Cnf.LogProb(flow, x, new CnfOptions { EndTime = endTime, Solver = Tight })).abs().max().item<double>() < 1e-9);
    }

    [Theory]
    [InlineData(TraceEstimator.HutchinsonRademacher)]
    [InlineData(FlowRegularizers.KineticEnergy)]
    public void AdjointAgreesWithDirectBackpropWithHutchinsonOrRegularizers(object variant)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(6);
        var flow = new Examples.Flows.Cnf2d();
        flow.to(float64);
        Tensor x = torch.randn(4, 2, dtype: float64, generator: new torch.Generator(3));
        Tensor[] Gradients(bool adjoint)
        {
            var options = new CnfOptions
            {
                Adjoint = adjoint, Solver = new SolverOptions { RelTol = 1e-9, AbsTol = 1e-9 },
                Trace = variant is TraceEstimator trace ? trace : TraceEstimator.Exact, Noise = new torch.Generator(1),
                Regularizers = variant is FlowRegularizers regularizers ? regularizers : FlowRegularizers.None,
            };
            flow.zero_grad();
            FlowDensity density = Cnf.Evaluate(flow, x, options);
            Tensor loss = -density.LogProb.mean() + (density.KineticEnergy?.mean() ?? torch.zeros(new long[0], dtype: float64));
            loss.backward();
            Assert.Null(density.Solution.BackwardFailure);
            return flow.parameters().Select(p => p.grad!.clone()).ToArray();
        }
        Tensor[] direct = Gradients(false), viaAdjoint = Gradients(true);
        for (int p = 0; p < direct.Length; p++)
            Assert.True((direct[p] - viaAdjoint[p]).abs().max().item<double>() < 1e-5 * Math.Max(direct[p].abs().max().item<double>(), 1e-3), $"parameter {p}");
    }

    [Fact]
    public void BadInputIsRefusedByName()
    {
        using var scope = NewDisposeScope();
        LinearFlow flow = NewLinearFlow();
        var notAFlow = new NotAFlow();

        var error = Assert.Throws<ArgumentException>(() => Cnf.LogProb(notAFlow, torch.zeros(2, 2)));
        Assert.Contains("'NotAFlow' is not a flow", error.Message);
        error = Assert.Throws<ArgumentException>(() => Cnf.LogProb(flow, torch.zeros(2, 2, dtype: float64)));
        Assert.Contains("'LinearFlow' takes data of shape [B, 3] (z[3]), but x has shape [2, 2]", error.Message);
        error = Assert.Throws<ArgumentException>(() => Cnf.LogProb(flow, torch.zeros(2, 3, dtype: float32)));
        Assert.Contains("The parameters of 'LinearFlow' are Float64 on cpu, but x is Float32 on cpu", error.Message);
        Assert.Throws<ArgumentException>(() => Cnf.LogProb(flow, torch.zeros(2, 3, dtype: float64), new CnfOptions { EndTime = -1.0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cnf.Sample(flow, 0));
        error = Assert.Throws<ArgumentException>(() => Cnf.LogProb(flow, torch.zeros(2, 3, dtype: float64),
            new CnfOptions { Trace = TraceEstimator.HutchinsonGaussian, NoiseValues = torch.zeros(3, 3, dtype: float64) }));
        Assert.Contains("NoiseValues has shape [3, 3]", error.Message);
    }
}
