using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Events with a step size per sample (each sample's event as if solved alone) and the per-sample status of an event
/// solve with <see cref="SolverOptions.ThrowOnFailure"/> off, against solves one sample at a time and closed forms.
/// </summary>
public class EventStatusTests
{
    private static readonly SolverOptions Tight = new() { RelTol = 1e-10, AbsTol = 1e-12 };

    private static readonly Func<Tensor, Tensor, Tensor> Pendulum = (t, y) => stack(new[] { y[.., 1], -y[.., 0].sin() }, 1);

    [Fact]
    public void PerSampleEventsAreThoseOfEachSampleSolvedAlone()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double[] angles = { 0.3, 1.2, 2.5, 3.0 };
        var options = new SolverOptions { RelTol = 1e-6, AbsTol = 1e-8, PerSampleSteps = true };
        var events = new EventOptions { Direction = EventDirection.Falling };
        Tensor y0 = stack(new[] { tensor(angles, float64), zeros(angles.Length, float64) }, 1);
        using var batch = Ode.SolveEvent(Pendulum, y0, tensor(0.0, float64), (t, y) => y[.., 0], options, events);

        for (int i = 0; i < angles.Length; i++)
        {
            using var alone = Ode.SolveEvent(Pendulum, y0.narrow(0, i, 1), tensor(0.0, float64), (t, y) => y[.., 0], options, events);
            Assert.Equal(alone.Time[0].item<double>(), batch.Time[i].item<double>(), 1e-10);
            Assert.Equal(alone.State[0, 1].item<double>(), batch.State[i, 1].item<double>(), 1e-10);
            Assert.Equal(alone.Stats.AcceptedSteps, batch.Stats.PerSample![i].AcceptedSteps);
        }
        // The larger the swing, the longer the quarter period, and the samples took their own numbers of steps.
        double[] times = Enumerable.Range(0, angles.Length).Select(i => batch.Time[i].item<double>()).ToArray();
        Assert.Equal(times.OrderBy(t => t), times);
        Assert.True(batch.Stats.PerSample!.Select(s => s.AcceptedSteps).Distinct().Count() > 1);
    }

    /// <summary>
    /// Free fall (quadratic height, which every method and dense output here reproduces exactly) with each method's
    /// per-row dense output; a fixed-step method steps every sample alike, so PerSampleSteps changes nothing for it.
    /// </summary>
    [Theory]
    [InlineData(OdeMethod.Dopri5)]
    [InlineData(OdeMethod.Tsit5)]
    [InlineData(OdeMethod.Dopri8)]
    [InlineData(OdeMethod.Bosh3)]
    [InlineData(OdeMethod.Fehlberg2)]
    [InlineData(OdeMethod.AdaptiveHeun)]
    [InlineData(OdeMethod.Rk4)]
    public void EveryMethodFindsTheFreeFallImpactWithPerSampleSteps(OdeMethod method)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double[] h0 = { 1.0, 5.0, 12.0 }, v0 = { 0.0, 2.0, -1.0 };
        Tensor y0 = stack(new[] { tensor(h0, float64), tensor(v0, float64) }, 1);
        Tensor gravity = tensor(-9.81, float64);
        Func<Tensor, Tensor, Tensor> fall = (t, y) => stack(new[] { y[.., 1], gravity.expand(y.shape[0]) }, 1);
        var options = new SolverOptions { Method = method, RelTol = 1e-8, AbsTol = 1e-10, StepSize = method == OdeMethod.Rk4 ? 0.01 : null, PerSampleSteps = true };
        using var events = Ode.SolveEvent(fall, y0, tensor(0.0, float64), (t, y) => y[.., 0], options, new EventOptions { Direction = EventDirection.Falling });
        for (int i = 0; i < h0.Length; i++)
            Assert.Equal((v0[i] + Math.Sqrt(v0[i] * v0[i] + 2 * 9.81 * h0[i])) / 9.81, events.Time[i].item<double>(), 1e-9);
    }

    /// <summary>y' = −k y from y0 through the level c: t* = ln(y0/c)/k, ∂t*/∂k = −ln(y0/c)/k²; y0 = 0.1 &lt; c never gets there.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ASampleWithoutAnEventHasItsStatusAndTheOthersTheirExactEvents(bool perSample, bool adjoint)
    {
        using var scope = NewDisposeScope();
        Tensor k = tensor(0.7, float64).requires_grad_();
        double[] start = { 2.0, 0.1, 4.0 };
        Tensor y0 = tensor(start, float64).view(3, 1);
        var options = Tight with { PerSampleSteps = perSample, ThrowOnFailure = false };
        using var events = Ode.SolveEvent((t, y) => -k * y, y0, tensor(0.0, float64), (t, y) => y[.., 0].sub(tensor(0.25, float64)), options,
            new EventOptions { MaxTime = 30, Adjoint = adjoint });

        Assert.Equal(new[] { OdeStatus.Event, OdeStatus.NoEvent, OdeStatus.Event }, events.Status);
        Assert.True(double.IsNaN(events.Time[1].item<double>()));
        Assert.True(double.IsNaN(events.State[1, 0].item<double>()));
        foreach (int i in new[] { 0, 2 })
        {
            Assert.Equal(Math.Log(start[i] / 0.25) / 0.7, events.Time[i].item<double>(), 1e-8);
            Assert.Equal(0.25, events.State[i, 0].item<double>(), 1e-9);
        }
        // The sample without an event adds nothing (and no NaN) to the gradient of the others' times.
        Tensor found = events.Time.index_select(0, tensor(new long[] { 0, 2 }));
        double gradient = autograd.grad(new[] { found.sum() }, new[] { k })[0].item<double>();
        Assert.Equal(new[] { 2.0, 4.0 }.Sum(y => -Math.Log(y / 0.25) / (0.7 * 0.7)), gradient, 1e-6);

        // By default the missing event is an exception.
        var thrown = Assert.Throws<OdeSolverException>(() => Ode.SolveEvent((t, y) => -k * y, y0, tensor(0.0, float64),
            (t, y) => y[.., 0].sub(tensor(0.25, float64)), Tight with { PerSampleSteps = perSample }, new EventOptions { MaxTime = 30 }));
        Assert.Equal(OdeFailure.NoEventByMaxTime, thrown.Failure);
    }

    /// <summary>Float32 with per-sample steps: decay through a level at t* = ln(y0/c)/k, to float32's accuracy.</summary>
    [Fact]
    public void PerSampleEventsInFloat32()
    {
        using var scope = NewDisposeScope();
        double[] start = { 1.0, 3.0, 9.0 };
        Tensor y0 = tensor(start, float32).view(3, 1).requires_grad_();
        var options = new SolverOptions { RelTol = 1e-5, AbsTol = 1e-7, PerSampleSteps = true };
        using var events = Ode.SolveEvent((t, y) => y.neg(), y0, tensor(0.0f, float32), (t, y) => y[.., 0].sub(tensor(0.5f, float32)), options,
            new EventOptions { TimeTolerance = 1e-6 });
        Tensor gradient = autograd.grad(new[] { events.Time.sum() }, new[] { y0 })[0];
        for (int i = 0; i < start.Length; i++)
        {
            Assert.Equal(Math.Log(start[i] / 0.5), events.Time[i].item<float>(), 1e-4);
            Assert.Equal(1 / start[i], gradient[i, 0].item<float>(), 1e-3);   // ∂t*/∂y0 = 1/y0
        }
    }

    /// <summary>
    /// u' = u², w' = 1 from (u0, 0) with the event w = 1: at t* = 1, u* = u0 / (1 − u0), unless u blows up first (at
    /// 1/u0). With per-sample steps only the sample that blows up fails; with shared steps it ends the whole search.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASampleThatBlowsUpFailsAloneWithPerSampleSteps(bool perSample)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor y0 = tensor(new[] { 0.1, 0.0, 4.0, 0.0 }, float64).view(2, 2);
        Func<Tensor, Tensor, Tensor> blowUp = (t, y) => stack(new[] { y[.., 0].square(), ones_like(y[.., 1]) }, 1);
        var options = new SolverOptions { RelTol = 1e-8, AbsTol = 1e-10, PerSampleSteps = perSample, ThrowOnFailure = false };
        using var events = Ode.SolveEvent(blowUp, y0, tensor(0.0, float64), (t, y) => y[.., 1].sub(tensor(1.0, float64)), options);

        Assert.DoesNotContain(events.Status[1], new[] { OdeStatus.Event, OdeStatus.NoEvent, OdeStatus.Success });
        Assert.True(double.IsNaN(events.Time[1].item<double>()));
        if (perSample)
        {
            Assert.Equal(OdeStatus.Event, events.Status[0]);
            Assert.Equal(1.0, events.Time[0].item<double>(), 1e-9);
            Assert.Equal(0.1 / 0.9, events.State[0, 0].item<double>(), 1e-8);
        }
        else
            Assert.Equal(events.Status[1], events.Status[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TooManyStepsIsAStatusWhenAsked(bool perSample)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // The first sample crosses y = 0.9 almost at once, the second (from 1000) needs far more than 40 steps.
        Tensor y0 = tensor(new[] { 1.0, 1000.0 }, float64).view(2, 1);
        var options = Tight with { PerSampleSteps = perSample, ThrowOnFailure = false, MaxSteps = 40 };
        using var events = Ode.SolveEvent((t, y) => -y, y0, tensor(0.0, float64), (t, y) => y[.., 0].sub(tensor(0.9, float64)), options);
        Assert.Equal(new[] { OdeStatus.Event, OdeStatus.MaxStepsExceeded }, events.Status);
        Assert.Equal(Math.Log(1 / 0.9), events.Time[0].item<double>(), 1e-8);
        Assert.True(double.IsNaN(events.Time[1].item<double>()));
        Assert.Equal(OdeFailure.MaxStepsExceeded, Assert.Throws<OdeSolverException>(() =>
            Ode.SolveEvent((t, y) => -y, y0, tensor(0.0, float64), (t, y) => y[.., 0].sub(tensor(0.9, float64)), options with { ThrowOnFailure = true })).Failure);
    }
}
