using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests.Systems;

/// <summary>dy/dt = (y∘y∘y)·A with A = [[-0.1, 2], [-2, -0.1]]: torchdiffeq's ode_demo spiral (peer problem P1).</summary>
internal sealed class SpiralTrue : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Tensor a;

    public SpiralTrue(ScalarType dtype) : base(nameof(SpiralTrue))
    {
        a = tensor(new[] { -0.1, 2.0, -2.0, -0.1 }, new long[] { 2, 2 }, ScalarType.Float64).to(dtype);
    }

    public override Tensor forward(Tensor t, Tensor y)
    {
        using Tensor cube = y.pow(3);
        return cube.matmul(a);
    }
}

/// <summary>The Lorenz system with σ = 10, ρ = 28, β = 8/3 (columns x, y, z).</summary>
internal sealed class Lorenz : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly double sigma, rho, beta;

    public Lorenz(double sigma = 10, double rho = 28, double beta = 8.0 / 3.0) : base(nameof(Lorenz))
    {
        (this.sigma, this.rho, this.beta) = (sigma, rho, beta);
    }

    public override Tensor forward(Tensor t, Tensor state)
    {
        Tensor[] c = state.unbind(1);
        Tensor x = c[0], y = c[1], z = c[2];
        return stack(new[] { (y - x) * sigma, x * (rho - z) - y, x * y - z * beta }, 1);
    }
}

/// <summary>Van der Pol: x' = v, v' = μ(1 − x²)v − x.</summary>
internal sealed class VanDerPol : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly double mu;

    public VanDerPol(double mu) : base(nameof(VanDerPol)) => this.mu = mu;

    public override Tensor forward(Tensor t, Tensor state)
    {
        Tensor[] c = state.unbind(1);
        Tensor x = c[0], v = c[1];
        return stack(new[] { v, (1 - x * x) * v * mu - x }, 1);
    }
}

/// <summary>y' = λy, exact solution y0·e^(λt).</summary>
internal sealed class Exponential : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly double lambda;

    public Exponential(double lambda) : base(nameof(Exponential)) => this.lambda = lambda;

    public override Tensor forward(Tensor t, Tensor y) => y * lambda;
}

/// <summary>y' = cos(t)·y, exact solution y0·e^(sin t): non-autonomous, checks the stage times.</summary>
internal sealed class CosineGrowth : nn.Module<Tensor, Tensor, Tensor>
{
    public CosineGrowth() : base(nameof(CosineGrowth))
    {
    }

    public override Tensor forward(Tensor t, Tensor y) => y * t.cos();
}

/// <summary>Counts its calls and returns NaN once t passes a threshold.</summary>
internal sealed class BlowsUpAfter : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly double threshold;

    public BlowsUpAfter(double threshold) : base(nameof(BlowsUpAfter)) => this.threshold = threshold;

    public override Tensor forward(Tensor t, Tensor y) =>
        t.item<double>() > threshold ? full_like(y, double.NaN) : -y;
}

/// <summary>Lorenz with σ, ρ, β as trainable 0-dim float64 parameters (default 10, 28, 8/3).</summary>
internal sealed class TrainableLorenz : nn.Module<Tensor, Tensor, Tensor>
{
    public TrainableLorenz(double[]? values = null) : base(nameof(TrainableLorenz))
    {
        Parameters = (values ?? new[] { 10.0, 28.0, 8.0 / 3.0 }).Select(v => new Parameter(tensor(v, ScalarType.Float64))).ToArray();
        for (int i = 0; i < Parameters.Length; i++)
            register_parameter($"p{i}", Parameters[i]);
    }

    public Parameter[] Parameters { get; }

    public override Tensor forward(Tensor t, Tensor state)
    {
        Tensor[] c = state.unbind(1);
        Tensor x = c[0], y = c[1], z = c[2];
        return stack(new[] { Parameters[0] * (y - x), x * (Parameters[1] - z) - y, x * y - Parameters[2] * z }, 1);
    }
}
