using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Examples.BouncingBall;

/// <summary>
/// Learns the drop height and the restitution coefficient from observed bounce times: gradient descent (Adam) on the
/// mean squared error of the simulated bounce times, differentiated through the chain of events.
/// </summary>
internal sealed class BounceFitting : IDisposable
{
    private readonly Ball ball = new();
    private readonly optim.Optimizer optimizer;

    public BounceFitting(double[] observedTimes, double height0, double restitution, bool adjoint = false, double learningRate = 0.1)
    {
        Observed = tensor(observedTimes, float64);
        Adjoint = adjoint;
        Height0 = new TorchSharp.Modules.Parameter(tensor(height0, float64));
        Restitution = new TorchSharp.Modules.Parameter(tensor(restitution, float64));
        ball.to(ScalarType.Float64);
        optimizer = optim.Adam(new[] { Height0, Restitution }, lr: learningRate);
    }

    public Tensor Observed { get; }

    public bool Adjoint { get; }

    public TorchSharp.Modules.Parameter Height0 { get; }

    public TorchSharp.Modules.Parameter Restitution { get; }

    public Ball Ball => ball;

    /// <summary>One Adam step; returns the loss (mean squared bounce-time error, s²) before it.</summary>
    public double Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = Loss();
        loss.backward();
        optimizer.step();
        using (no_grad())
        {
            Height0.clamp_(0.1, 100.0);
            Restitution.clamp_(0.05, 0.99);
        }
        return loss.item<double>();
    }

    public Tensor Loss()
    {
        var (times, _) = Bounces.Simulate(ball, Height0, Restitution, (int)Observed.shape[0], Adjoint);
        return (stack(times) - Observed).square().mean();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        ball.Dispose();
    }
}
