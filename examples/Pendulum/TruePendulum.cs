using OdeDsl;
using static OdeDsl.Dsl;
using Tensor = TorchSharp.torch.Tensor;

namespace Examples.Pendulum;

/// <summary>The system that makes the data: the damped pendulum theta'' = −(g/L)·sin(theta) − c·omega. Nothing is trained.</summary>
[OdeModel]
public partial class TruePendulum
{
    [State] Tensor theta, omega;
    [Const] double g = 9.81;
    [Const] double length = 1.0;
    [Const] double friction = 0.3;

    void Dynamics(Tensor t)
    {
        dtheta = omega;
        domega = -(g / length) * sin(theta) - friction * omega;
    }
}
