using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// <see cref="Ode.SolveEvent(nn.Module{Tensor, Tensor, Tensor}, Tensor, Tensor, Func{Tensor, Tensor, Tensor}, SolverOptions?, EventOptions?)"/>
/// against closed forms: free fall (h(t) = h0 + v0 t − g t²/2 reaches 0 at t* = (v0 + √(v0² + 2 g h0)) / g), exponential
/// decay through a level (t* = ln(y0/c)/k), and their derivatives, directly and by the adjoint; finite differences for
/// a nonlinear pendulum.
/// </summary>
public class EventTests
{
    private static readonly SolverOptions Tight = new() { RelTol = 1e-10, AbsTol = 1e-12 };

    /// <summary>The tight options, with a step size per sample or shared steps.</summary>
    private static SolverOptions TightSteps(bool perSample) => Tight with { PerSampleSteps = perSample };

    /// <summary>State [height, velocity] under gravity <see cref="G"/>, a trainable parameter.</summary>
    private sealed class FreeFall : nn.Module<Tensor, Tensor, Tensor>
    {
        public FreeFall(double g) : base(nameof(FreeFall))
        {
            G = nn.Parameter(tensor(g, float64));
            RegisterComponents();
        }

        public TorchSharp.Modules.Parameter G { get; }

        public override Tensor forward(Tensor t, Tensor y) => stack(new[] { y[.., 1], -G.expand(y.shape[0]) }, 1);
    }

    private static double FallTime(double h0, double v0, double g) => (v0 + Math.Sqrt(v0 * v0 + 2 * g * h0)) / g;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FreeFallHitsTheFloorAtTheClosedFormTimes(bool perSample)
    {
        using var scope = NewDisposeScope();
        double[] h0 = { 1.0, 5.0, 0.3, 12.0 }, v0 = { 0.0, 2.0, -1.0, 0.5 };
        Tensor y0 = stack(new[] { tensor(h0, float64), tensor(v0, float64) }, 1);
        using var model = new FreeFall(9.81);
        using var events = Ode.SolveEvent(model, y0, tensor(0.0, float64), (t, y) => y[.., 0], TightSteps(perSample), new EventOptions { Direction = EventDirection.Falling });

        for (int i = 0; i < h0.Length; i++)
        {
            double expected = FallTime(h0[i], v0[i], 9.81);
            Assert.Equal(expected, events.Time[i].item<double>(), 1e-9);
            Assert.Equal(0.0, events.State[i, 0].item<double>(), 1e-9);
            Assert.Equal(v0[i] - 9.81 * expected, events.State[i, 1].item<double>(), 1e-8);
        }
        Assert.All(events.Component, c => Assert.Equal(0, c));
        Assert.All(events.Status, status => Assert.Equal(OdeStatus.Event, status));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void FallTimeGradientsAreTheAnalyticOnes(bool adjoint, bool perSample)
    {
        using var scope = NewDisposeScope();
        double h = 2.0, v = 1.5, g = 9.81;
        Tensor y0 = tensor(new[] { h, v }, float64).view(1, 2).requires_grad_();
        using var model = new FreeFall(g);
        using var events = Ode.SolveEvent(model, y0, tensor(0.0, float64), (t, y) => y[.., 0], TightSteps(perSample),
            new EventOptions { Direction = EventDirection.Falling, Adjoint = adjoint });
        var grads = autograd.grad(new[] { events.Time.sum() }, new Tensor[] { y0, model.G });

        double s = Math.Sqrt(v * v + 2 * g * h), time = (v + s) / g;
        Assert.Equal(1 / s, grads[0][0, 0].item<double>(), 1e-7);                       // ∂t*/∂h0
        Assert.Equal((1 + v / s) / g, grads[0][0, 1].item<double>(), 1e-7);             // ∂t*/∂v0
        Assert.Equal(-(v + s) / (g * g) + h / (s * g), grads[1].item<double>(), 1e-7);  // ∂t*/∂g

        // The velocity at impact, v* = v0 − g t*: ∂v*/∂h0 = −g/s, ∂v*/∂g = −t* − g ∂t*/∂g.
        using var again = Ode.SolveEvent(model, y0, tensor(0.0, float64), (t, y) => y[.., 0], TightSteps(perSample),
            new EventOptions { Direction = EventDirection.Falling, Adjoint = adjoint });
        var impact = autograd.grad(new[] { again.State[0, 1] }, new Tensor[] { y0, model.G });
        Assert.Equal(-g / s, impact[0][0, 0].item<double>(), 1e-7);
        Assert.Equal(-time - g * (-(v + s) / (g * g) + h / (s * g)), impact[1].item<double>(), 1e-7);
    }

    /// <summary>y' = −k·y with a trainable k (a module parameter, so that the adjoint reaches it too).</summary>
    private sealed class Decay : nn.Module<Tensor, Tensor, Tensor>
    {
        public Decay(double k) : base(nameof(Decay))
        {
            K = nn.Parameter(tensor(k, float64));
            RegisterComponents();
        }

        public TorchSharp.Modules.Parameter K { get; }

        public override Tensor forward(Tensor t, Tensor y) => -K * y;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void DecayThroughALevelDifferentiatesInTheDecayRateTheLevelAndTheStartTime(bool adjoint, bool perSample)
    {
        using var scope = NewDisposeScope();
        using var decay = new Decay(0.7);
        Tensor level = tensor(0.25, float64).requires_grad_();
        Tensor t0 = tensor(0.5, float64).requires_grad_();
        Tensor y0 = full(3, 1, 2.0, float64).requires_grad_();
        using var events = Ode.SolveEvent(decay, y0 * tensor(new[] { 1.0, 2.0, 3.0 }, float64).view(3, 1), t0,
            (t, y) => y[.., 0] - level, TightSteps(perSample), new EventOptions { Adjoint = adjoint });
        Tensor times = events.Time;
        var grads = autograd.grad(new[] { times.sum() }, new Tensor[] { decay.K, level, t0, y0 });

        // t*_i = t0 + ln(m_i y0 / c) / k
        double[] start = { 2.0, 4.0, 6.0 };
        for (int i = 0; i < 3; i++)
            Assert.Equal(0.5 + Math.Log(start[i] / 0.25) / 0.7, times[i].item<double>(), 1e-8);
        Assert.Equal(start.Sum(y => -Math.Log(y / 0.25) / (0.7 * 0.7)), grads[0].item<double>(), 1e-6);
        Assert.Equal(3 * (-1 / (0.7 * 0.25)), grads[1].item<double>(), 1e-6);
        Assert.Equal(3.0, grads[2].item<double>(), 1e-7);
        Assert.Equal(3 / (0.7 * 2.0), grads[3].sum().item<double>(), 1e-6);
    }

    /// <summary>y' = t: y = y0 + (t² − t0²)/2 reaches c at t* = √(t0² + 2(c − y0)), so ∂t*/∂t0 = t0/t*.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StartTimeGradientOfANonAutonomousSystem(bool perSample)
    {
        using var scope = NewDisposeScope();
        Tensor t0 = tensor(1.0, float64).requires_grad_();
        using var events = Ode.SolveEvent((t, y) => t.reshape(-1, 1).expand_as(y), zeros(1, 1, float64), t0, (t, y) => y[.., 0] - 2.0, TightSteps(perSample));
        double expected = Math.Sqrt(1 + 4.0);
        Assert.Equal(expected, events.Time[0].item<double>(), 1e-9);
        Assert.Equal(1.0 / expected, autograd.grad(new[] { events.Time.sum() }, new[] { t0 })[0].item<double>(), 1e-7);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FirstComponentToCrossWinsAndDirectionsAreRespected(bool perSample)
    {
        using var scope = NewDisposeScope();
        // y = sin t from 0: falls through 0.5 at 5π/6, rises through 0.5 at π/6, and through −0.5 it falls at 7π/6.
        Func<Tensor, Tensor, Tensor> sine = (t, y) => t.cos().expand_as(y);
        Func<Tensor, Tensor, Tensor> levels = (t, y) => cat(new[] { y - 0.5, y + 0.5 }, 1);
        Tensor y0 = zeros(1, 1, float64), t0 = tensor(0.0, float64);
        var options = TightSteps(perSample);
        using var either = Ode.SolveEvent(sine, y0, t0, levels, options);
        using var falling = Ode.SolveEvent(sine, y0, t0, levels, options, new EventOptions { Direction = EventDirection.Falling });
        using var rising = Ode.SolveEvent(sine, y0, t0, (t, y) => y[.., 0] + 0.5, options, new EventOptions { Direction = EventDirection.Rising });

        Assert.Equal(Math.PI / 6, either.Time[0].item<double>(), 1e-8);
        Assert.Equal(0, either.Component[0]);
        Assert.Equal(5 * Math.PI / 6, falling.Time[0].item<double>(), 1e-8);
        Assert.Equal(0, falling.Component[0]);
        Assert.Equal(11 * Math.PI / 6, rising.Time[0].item<double>(), 1e-8);
    }

    /// <summary>A nonlinear pendulum θ'' = −sin θ released at θ0 reaches θ = 0 at a time with no elementary closed form: check ∂t*/∂θ0 by central differences.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void PendulumEventTimeGradientMatchesFiniteDifferences(bool adjoint, bool perSample)
    {
        Func<Tensor, Tensor, Tensor> pendulum = (t, y) => stack(new[] { y[.., 1], -y[.., 0].sin() }, 1);
        var eventOptions = new EventOptions { Direction = EventDirection.Falling, Adjoint = adjoint };
        double Time(double theta0)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var events = Ode.SolveEvent(pendulum, tensor(new[] { theta0, 0.0 }, float64).view(1, 2), tensor(0.0, float64), (t, y) => y[.., 0], TightSteps(perSample), eventOptions);
            return events.Time[0].item<double>();
        }
        using var scope = NewDisposeScope();
        Tensor y0 = tensor(new[] { 1.2, 0.0 }, float64).view(1, 2).requires_grad_();
        using var located = Ode.SolveEvent(pendulum, y0, tensor(0.0, float64), (t, y) => y[.., 0], TightSteps(perSample), eventOptions);
        double gradient = autograd.grad(new[] { located.Time.sum() }, new[] { y0 })[0][0, 0].item<double>();
        double eps = 1e-4, difference = (Time(1.2 + eps) - Time(1.2 - eps)) / (2 * eps);
        Assert.True(Math.Abs(gradient - difference) < 1e-5 * Math.Abs(difference), $"gradient {gradient:G10}, central difference {difference:G10}");
    }

    [Fact]
    public void BadInputIsAClearError()
    {
        using var scope = NewDisposeScope();
        Tensor y0 = ones(2, 1, float64), t0 = tensor(0.0, float64);
        Func<Tensor, Tensor, Tensor> decay = (t, y) => -y;
        Assert.Contains("[B] (one event) or [B, K]", Assert.Throws<ArgumentException>(() =>
            Ode.SolveEvent(decay, y0, t0, (t, y) => y.sum())).Message);
        Assert.Contains("t0 must be a one-element tensor", Assert.Throws<ArgumentException>(() =>
            Ode.SolveEvent(decay, y0, zeros(2, float64), (t, y) => y[.., 0])).Message);
        Assert.Contains("TimeTolerance", Assert.Throws<ArgumentException>(() =>
            Ode.SolveEvent(decay, y0, t0, (t, y) => y[.., 0] - 0.5, null, new EventOptions { TimeTolerance = 0 })).Message);

        // Decay never reaches −1: the search gives up at MaxTime and says how many samples had no event.
        var never = Assert.Throws<OdeSolverException>(() =>
            Ode.SolveEvent(decay, y0, t0, (t, y) => y[.., 0] + 1.0, null, new EventOptions { MaxTime = 50 }));
        Assert.Contains("2 of 2 samples had no event by MaxTime = 50", never.Message);
        Assert.Contains("EventTests.BadInputIsAClearError (lambda)", never.Message);
        Assert.Equal(OdeFailure.NoEventByMaxTime, never.Failure);
    }
}
