using System;
using System.Linq;
using TorchSharp;
using OdeDsl.Peers;
using static TorchSharp.torch;

namespace OdeDsl.Bench;

/// <summary>
/// The closed-form inputs of the peer problems (bench/peers/PROBLEMS.md): every number is computed in double
/// precision in the documented order, then rounded once to the working dtype, so that this run and the
/// torchdiffeq run compute the same thing.
/// </summary>
internal static class PeerProblems
{
    /// <summary>Sum, sum of |x| and sum of squares in double of a tensor (PROBLEMS.md §7 checksums).</summary>
    public static (double Sum, double AbsSum, double SquareSum) Checksum(Tensor t)
    {
        using var scope = NewDisposeScope();
        Tensor d = t.detach().to(ScalarType.Float64);
        return (d.sum().item<double>(), d.abs().sum().item<double>(), (d * d).sum().item<double>());
    }

    /// <summary>P1: y0 = [[2, 0]], t = linspace(0, 25, 1000).</summary>
    public static (Tensor Y0, Tensor Ts) SpiralInputs(ScalarType dtype) =>
        (tensor(new[] { 2.0, 0.0 }, new long[] { 1, 2 }, ScalarType.Float64).to(dtype), linspace(0.0, 25.0, 1000, dtype));

    /// <summary>
    /// The Lorenz model compiled from spec/models/lorenz.ode, with σ, ρ, β set to the double literals rounded once
    /// to <paramref name="dtype"/> (as P2 prescribes; the generated parameters start in float32).
    /// </summary>
    public static Examples.Physics.Lorenz CompiledLorenz(ScalarType dtype)
    {
        var model = new Examples.Physics.Lorenz();
        model.to(dtype);
        using var noGrad = no_grad();
        foreach (var (name, value) in new[] { ("sigma", 10.0), ("rho", 28.0), ("beta", 8.0 / 3.0) })
            model.get_parameter(name)!.copy_(tensor(value, ScalarType.Float64).to(dtype));
        return model;
    }

    /// <summary>The network compiled from spec/models/spiral.ode with P1's closed-form weights (float32).</summary>
    public static Examples.Neural.Spiral CompiledSpiral()
    {
        var model = new Examples.Neural.Spiral();
        using var noGrad = no_grad();
        model.get_parameter("W1")!.copy_(tensor(PeerNetworks.SinMatrix(50, 2, 0.14, 0.1), new long[] { 50, 2 }, ScalarType.Float64).to(ScalarType.Float32));
        model.get_parameter("b1")!.zero_();
        model.get_parameter("W2")!.copy_(tensor(PeerNetworks.SinMatrix(2, 50, 0.14, 0.2), new long[] { 2, 50 }, ScalarType.Float64).to(ScalarType.Float32));
        model.get_parameter("b2")!.zero_();
        return model;
    }

    /// <summary>
    /// P3 (D = 2, H = 64) or P4 (D = 32, H = 128): the flow compiled from bench/Models/peer_flows.ode with the
    /// closed-form ConcatLinear weights of PROBLEMS.md §5 (layer l: W = S(out, in + 1, 1/√(in + 1), 0.3 + l),
    /// b = V(out, 1/√(in + 1), 1.7 + l)), float32.
    /// </summary>
    public static OdeModel CnfFlow(string problem)
    {
        OdeModel flow = problem == "P3" ? new Flows.P3Flow() : new Flows.P4Flow();
        int d = problem == "P3" ? 2 : 32, h = problem == "P3" ? 64 : 128;
        (int In, int Out)[] layers = { (d, h), (h, h), (h, d) };
        using var noGrad = no_grad();
        for (int l = 0; l < layers.Length; l++)
        {
            var (inputs, outputs) = layers[l];
            double amp = 1.0 / Math.Sqrt(inputs + 1);
            flow.get_parameter($"c{l}.W")!.copy_(tensor(PeerNetworks.SinMatrix(outputs, inputs + 1, amp, 0.3 + l), new long[] { outputs, inputs + 1 }, ScalarType.Float64).to(ScalarType.Float32));
            var bias = new double[outputs];
            for (int i = 0; i < outputs; i++)
                bias[i] = amp * Math.Sin(1.7 + l + 1.1 * (i + 1));
            flow.get_parameter($"c{l}.b")!.copy_(tensor(bias, ScalarType.Float64).to(ScalarType.Float32));
        }
        return flow;
    }

    /// <summary>P3's two moons (B = 512) or P4's sine data (B = 256, D = 32), PROBLEMS.md §5, float32.</summary>
    public static Tensor CnfData(string problem)
    {
        if (problem == "P4")
        {
            var x = new double[256 * 32];
            for (int b = 0; b < 256; b++)
            {
                for (int k = 0; k < 32; k++)
                    x[b * 32 + k] = 1.5 * Math.Sin(0.61 * (b + 1) + 1.37 * (k + 1) + 0.011 * (b + 1) * (k + 1));
            }
            return tensor(x, new long[] { 256, 32 }, ScalarType.Float64).to(ScalarType.Float32);
        }
        var moons = new double[512 * 2];
        for (int b = 0; b < 512; b++)
        {
            int k = b % 256;
            double theta = Math.PI * k / 255;
            (double px, double py) = b < 256 ? (Math.Cos(theta), Math.Sin(theta)) : (1 - Math.Cos(theta), 0.5 - Math.Sin(theta));
            double nx = 0.1 * Math.Sin(12.9898 * (b + 1)), ny = 0.1 * Math.Sin(78.233 * (b + 1));
            moons[2 * b] = 2 * ((px + nx) - 0.5);
            moons[2 * b + 1] = 2 * ((py + ny) - 0.25);
        }
        return tensor(moons, new long[] { 512, 2 }, ScalarType.Float64).to(ScalarType.Float32);
    }

    /// <summary>R(B, D) of PROBLEMS.md §1: +1 where S(B, D, 1.0, 0.9) ≥ 0, −1 elsewhere (the peers' fixed Hutchinson noise), float32.</summary>
    public static Tensor Signs(long batch, long width)
    {
        double[] s = PeerNetworks.SinMatrix((int)batch, (int)width, 1.0, 0.9);
        return tensor(s.Select(value => value >= 0 ? 1.0f : -1.0f).ToArray(), new[] { batch, width });
    }

    /// <summary>P2: 1024 Lorenz initial conditions and t = linspace(0, 10, 101).</summary>
    public static (Tensor Y0, Tensor Ts) LorenzInputs(ScalarType dtype, int batch = 1024)
    {
        var y0 = new double[batch * 3];
        for (int i = 0; i < batch; i++)
        {
            y0[3 * i] = 10.0 * Math.Sin(1.1 * i + 0.3);
            y0[3 * i + 1] = 10.0 * Math.Sin(0.7 * i + 1.9);
            y0[3 * i + 2] = 25.0 + 10.0 * Math.Sin(0.4 * i + 0.5);
        }
        return (tensor(y0, new long[] { batch, 3 }, ScalarType.Float64).to(dtype),
            linspace(0.0, 10.0, 101, ScalarType.Float64).to(dtype));
    }
}

/// <summary>P1's true dynamics, hand-written: dy/dt = (y∘y∘y)·A.</summary>
internal sealed class SpiralTrue : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Tensor a;

    public SpiralTrue(ScalarType dtype) : base(nameof(SpiralTrue)) =>
        a = tensor(new[] { -0.1, 2.0, -2.0, -0.1 }, new long[] { 2, 2 }, ScalarType.Float64).to(dtype).DetachFromDisposeScope();

    public override Tensor forward(Tensor t, Tensor y)
    {
        using Tensor cube = y.pow(3);
        return cube.matmul(a);
    }
}

/// <summary>P2's Lorenz system, hand-written as in the peer script, with σ, ρ, β as trainable 0-dim tensors.</summary>
internal sealed class LorenzModule : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Parameter sigma, rho, beta;

    public LorenzModule(ScalarType dtype) : base(nameof(LorenzModule))
    {
        sigma = new TorchSharp.Modules.Parameter(tensor(10.0, ScalarType.Float64).to(dtype));
        rho = new TorchSharp.Modules.Parameter(tensor(28.0, ScalarType.Float64).to(dtype));
        beta = new TorchSharp.Modules.Parameter(tensor(8.0 / 3.0, ScalarType.Float64).to(dtype));
        RegisterComponents();
    }

    public override Tensor forward(Tensor t, Tensor state)
    {
        Tensor[] c = state.unbind(1);
        Tensor x = c[0], y = c[1], z = c[2];
        Tensor dx = sigma * (y - x);
        Tensor dy = x * (rho - z) - y;
        Tensor dz = x * y - beta * z;
        return stack(new[] { dx, dy, dz }, 1);
    }
}
