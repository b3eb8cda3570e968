using System;
using System.Linq;
using Examples.BouncingBall;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Examples.Tests;

/// <summary>
/// The bouncing ball: a chain of events against its closed form (t1 = √(2h0/g), flights of 2·e^k·v1/g), the gradients
/// of every bounce time through the chain against central differences of that closed form, and a short fit.
/// </summary>
[Collection("TorchSharp's global generator")]
public sealed class BouncingBallTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BounceTimesAndTheirGradientsMatchTheClosedForm(bool adjoint)
    {
        using var scope = NewDisposeScope();
        using var ball = new Ball();
        double h0 = 4.0, e = 0.7;
        Tensor height = tensor(h0, float64).requires_grad_(), restitution = tensor(e, float64).requires_grad_();
        var (times, _) = Bounces.Simulate(ball, height, restitution, 5, adjoint);
        double[] exact = Bounces.ExactTimes(h0, e, 5);
        const double eps = 1e-6;
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(exact[k], times[k].item<double>(), 1e-7);
            var grads = autograd.grad(new[] { times[k] }, new[] { height, restitution }, retain_graph: true, allow_unused: true);
            double byHeight = (Bounces.ExactTimes(h0 + eps, e, 5)[k] - Bounces.ExactTimes(h0 - eps, e, 5)[k]) / (2 * eps);
            double byRestitution = k == 0 ? 0.0 : (Bounces.ExactTimes(h0, e + eps, 5)[k] - Bounces.ExactTimes(h0, e - eps, 5)[k]) / (2 * eps);
            Assert.Equal(byHeight, grads[0].item<double>(), 1e-6);
            // The first fall does not depend on the restitution at all (allow_unused gives an invalid handle for it).
            Assert.Equal(byRestitution, grads[1].IsInvalid ? 0.0 : grads[1].item<double>(), 1e-6);
        }
    }

    [Fact]
    public void FittingTheBounceTimesRecoversHeightAndRestitution()
    {
        double[] observed = Bounces.ExactTimes(5.0, 0.8, 6);
        using var fitting = new BounceFitting(observed, height0: 3.0, restitution: 0.5);
        double first = fitting.Step(), last = first;
        for (int i = 0; i < 60; i++)
            last = fitting.Step();
        Assert.True(last < 0.01 * first, $"bounce-time MSE {first:E2} → {last:E2}");
        Assert.InRange(fitting.Restitution.item<double>(), 0.75, 0.9);
    }
}
