using System;
using OdeDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Examples.Pendulum;

/// <summary>
/// The data: trajectories of the damped pendulum (<see cref="TruePendulum"/>: g = 9.81, L = 1, c = 0.3) from six
/// initial conditions, observed at 40 times in [0, 5], solved in float64 at rtol 1e-10, atol 1e-12.
/// </summary>
internal sealed class PendulumData : IDisposable
{
    public const int Times = 40;
    public const double EndTime = 5.0, Friction = 0.3, Gravity = 9.81, Length = 1.0;

    /// <summary>(theta, omega) at t = 0: small and large swings, both directions, one near the top.</summary>
    private static readonly double[] Starts =
    {
        1.0, 0.0,
        -1.5, 0.5,
        2.0, -1.0,
        0.5, 2.0,
        -2.5, 0.0,
        0.0, -2.5,
    };

    public PendulumData()
    {
        Y0 = tensor(Starts, new long[] { Starts.Length / 2, 2 }, ScalarType.Float64).DetachFromDisposeScope();
        T = linspace(0, EndTime, Times, ScalarType.Float64).DetachFromDisposeScope();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var truth = new TruePendulum(Gravity, Length, Friction);
        var options = new SolverOptions { Method = OdeMethod.Dopri5, RelTol = 1e-10, AbsTol = 1e-12 };
        Y = Ode.Solve(truth, Y0, T, options).Ys.DetachFromDisposeScope();
    }

    /// <summary>[6, 2]: the initial states.</summary>
    public Tensor Y0 { get; }

    /// <summary>[40]: the observation times.</summary>
    public Tensor T { get; }

    /// <summary>[40, 6, 2]: the observed states (theta, omega).</summary>
    public Tensor Y { get; }

    /// <summary>The number of trajectories.</summary>
    public long Count => Y0.shape[0];

    /// <summary>The friction term the network should learn, −c·omega, at every observed state: [40·6].</summary>
    public Tensor TrueCorrection() => Y.reshape(-1, 2)[.., 1] * -Friction;

    public void Dispose()
    {
        Y0.Dispose();
        T.Dispose();
        Y.Dispose();
    }
}
