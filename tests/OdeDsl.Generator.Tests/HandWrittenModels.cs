using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// The spec's neural models written by hand in TorchSharp the way a PyTorch user would (torchdiffeq's ODEFunc,
/// FFJORD's time concatenation), with weights copied from a generated model so both compute the same function.
/// </summary>
internal static class HandWrittenModels
{
    /// <summary>A linear layer in float64 holding the given weight and bias.</summary>
    public static Linear LinearWith(Tensor weight, Tensor bias)
    {
        Linear layer = nn.Linear(weight.size(1), weight.size(0), dtype: float64);
        using (no_grad())
        {
            layer.weight!.copy_(weight);
            layer.bias!.copy_(bias);
        }
        return layer;
    }

    /// <summary>Appends the time as a last column: one time for all samples (0-dim t) or one per sample ([B] t).</summary>
    public static Tensor WithTime(Tensor h, Tensor t) =>
        cat(new[] { h, t.dim() == 0 ? ones_like(h[.., ..1]) * t : t.unsqueeze(1) }, 1);

    /// <summary>torchdiffeq's ode_demo network: Linear(2, 50), tanh, Linear(50, 2) applied to y³.</summary>
    public sealed class Spiral : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear first, second;

        public Spiral(OdeModel generated) : base(nameof(Spiral))
        {
            first = LinearWith(generated.get_parameter("W1")!, generated.get_parameter("b1")!);
            second = LinearWith(generated.get_parameter("W2")!, generated.get_parameter("b2")!);
        }

        public override Tensor forward(Tensor t, Tensor y) => second.forward(first.forward(y.pow(3)).tanh());
    }

    /// <summary>Three linear layers, each fed the previous activation with the time appended (mlp_time, cnf2d).</summary>
    public sealed class TimeConcatMlp : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear l1, l2, l3;
        private readonly Func<Tensor, Tensor> activation;

        public TimeConcatMlp(OdeModel generated, Func<Tensor, Tensor> activation) : base(nameof(TimeConcatMlp))
        {
            l1 = LinearWith(generated.get_parameter("l1.W")!, generated.get_parameter("l1.b")!);
            l2 = LinearWith(generated.get_parameter("l2.W")!, generated.get_parameter("l2.b")!);
            l3 = LinearWith(generated.get_parameter("l3.W")!, generated.get_parameter("l3.b")!);
            this.activation = activation;
        }

        public override Tensor forward(Tensor t, Tensor y)
        {
            Tensor a1 = activation(l1.forward(WithTime(y, t)));
            Tensor a2 = activation(l2.forward(WithTime(a1, t)));
            return l3.forward(WithTime(a2, t));
        }
    }

    /// <summary>The hybrid pendulum: gravity plus a one-hidden-layer correction.</summary>
    public static Tensor HybridPendulum(OdeModel model, double length, Tensor y)
    {
        Tensor theta = y[.., 0], omega = y[.., 1];
        Tensor w1 = model.get_parameter("W1")!, b1 = model.get_parameter("b1")!, w2 = model.get_parameter("w2")!, g = model.get_parameter("g")!;
        Tensor hidden = (y.matmul(w1.t()) + b1).tanh();
        Tensor correction = (hidden * w2).sum(1);
        return stack(new[] { omega, -(g / length) * theta.sin() + correction }, 1);
    }
}
