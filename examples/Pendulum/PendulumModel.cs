using OdeDsl;
using static OdeDsl.Dsl;
using Tensor = TorchSharp.torch.Tensor;

namespace Examples.Pendulum;

/// <summary>
/// A universal differential equation: the frictionless pendulum we know, plus a small network for what we do not.
/// The generator compiles <c>Dynamics</c> into a batched <c>forward</c>, an analytic <c>Vjp</c> (used by
/// <c>Ode.SolveAdjoint</c>) and <c>ReferenceForward</c>, which runs this very method one sample at a time.
/// </summary>
[OdeModel]
public partial class PendulumModel
{
    [State] Tensor theta, omega;

    // g is trainable and starts wrong (the truth is 9.81): the physics is calibrated while the network learns the
    // missing friction, so learning shows in a number one can check. Since the network also sees theta, it could
    // make up for a wrong g instead; PendulumTraining's penalty on the correction's size rules that out. (A [Const]
    // g would be the simpler choice when gravity is known.)
    [Param(7.0)] Tensor g;
    [Const] double length = 1.0;

    // correction(theta, omega) = w2 · tanh(W1 [theta; omega] + b1), 16 hidden units; w2 = 0 makes it start at zero.
    [Param(Init.Normal, 16, 2, Mean = 0.0, Std = 0.5)] Tensor W1;
    [Param(Init.Zeros, 16)] Tensor b1;
    [Param(Init.Zeros, 16)] Tensor w2;

    void Dynamics(Tensor t)
    {
        var correction = dot(w2, tanh(matmul(W1, cat(theta, omega)) + b1));

        dtheta = omega;
        domega = -(g / length) * sin(theta) + correction;
    }
}
