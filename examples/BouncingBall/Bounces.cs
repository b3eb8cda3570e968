using System.Collections.Generic;
using OdeDsl;
using static TorchSharp.torch;

namespace Examples.BouncingBall;

/// <summary>
/// A ball dropped from rest at <c>height0</c> that bounces: each bounce is a terminal event of <see cref="Ode.SolveEvent(nn.Module{Tensor, Tensor, Tensor}, Tensor, Tensor, System.Func{Tensor, Tensor, Tensor}, SolverOptions?, EventOptions?)"/>
/// (the height falls through 0), after which the solve restarts from the event with the velocity reversed and scaled
/// by the restitution coefficient. Every bounce time is differentiable in the drop height and the restitution, through
/// the chain of events.
/// </summary>
internal static class Bounces
{
    public static SolverOptions Options { get; } = new() { RelTol = 1e-8, AbsTol = 1e-10 };

    /// <summary>The first <paramref name="count"/> bounce times, and the state just after each bounce ([1, 2] each).</summary>
    public static (Tensor[] Times, Tensor[] StatesAfter) Simulate(Ball ball, Tensor height0, Tensor restitution, int count, bool adjoint = false)
    {
        var events = new EventOptions { Direction = EventDirection.Falling, Adjoint = adjoint };
        Tensor state = stack(new[] { height0.reshape(1), zeros(1, height0.dtype) }, 1);
        Tensor time = zeros(new long[0], height0.dtype);
        var times = new List<Tensor>();
        var after = new List<Tensor>();
        for (int bounce = 0; bounce < count; bounce++)
        {
            OdeEventSolution hit = Ode.SolveEvent(ball, state, time, (t, y) => y[.., 0], Options, events);
            time = hit.Time[0];
            // The bounce: the height stays (it is 0 up to the location tolerance), the velocity turns and loses energy.
            state = stack(new[] { hit.State[.., 0], -restitution * hit.State[.., 1] }, 1);
            times.Add(time);
            after.Add(state);
        }
        return (times.ToArray(), after.ToArray());
    }

    /// <summary>Closed form: t1 = √(2h0/g), and each flight after bounce k lasts 2·e^k·v1/g with v1 = √(2 g h0).</summary>
    public static double[] ExactTimes(double height0, double restitution, int count, double gravity = 9.81)
    {
        var times = new double[count];
        double t = System.Math.Sqrt(2 * height0 / gravity), speed = System.Math.Sqrt(2 * gravity * height0);
        for (int k = 0; k < count; k++)
        {
            times[k] = t;
            speed *= restitution;
            t += 2 * speed / gravity;
        }
        return times;
    }
}
