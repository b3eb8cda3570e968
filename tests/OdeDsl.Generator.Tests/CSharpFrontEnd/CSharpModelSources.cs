namespace OdeDsl.Generator.Tests.CSharpFrontEnd;

/// <summary>The spec models written as [OdeModel] classes, member for member as their .ode files declare them.</summary>
internal static class CSharpModelSources
{
    public const string Usings = """
        using TorchSharp;
        using OdeDsl;
        using static OdeDsl.Dsl;
        using Tensor = TorchSharp.torch.Tensor;

        """;

    public const string Lorenz = Usings + """
        namespace Examples.Physics;

        [OdeModel]
        public partial class Lorenz
        {
            [State] Tensor x, y, z;
            [Param(10.0)] Tensor sigma;
            [Param(28.0)] Tensor rho;
            [Param(8.0 / 3.0)] Tensor beta;

            void Dynamics(Tensor t)
            {
                dx = sigma * (y - x);
                dy = x * (rho - z) - y;
                dz = x * y - beta * z;
            }
        }
        """;

    public const string VanDerPol = Usings + """
        namespace Examples.Physics;

        [OdeModel]
        public partial class VanDerPol
        {
            [State] Tensor x, v;
            [Const] double mu = 1.0;

            void Dynamics(Tensor t)
            {
                dx = v;
                dv = mu * (1 - pow(x, 2)) * v - x;
            }
        }
        """;

    public const string Spiral = Usings + """
        namespace Examples.Neural;

        [OdeModel]
        public partial class Spiral
        {
            [State(2)] Tensor y;
            [Param(Init.Glorot, 50, 2)] Tensor W1;
            [Param(Init.Zeros, 50)] Tensor b1;
            [Param(Init.Glorot, 2, 50)] Tensor W2;
            [Param(Init.Zeros, 2)] Tensor b2;

            void Dynamics(Tensor t)
            {
                var h = tanh(matmul(W1, pow(y, 3)) + b1);
                dy = matmul(W2, h) + b2;
            }
        }
        """;

    public const string HybridPendulum = Usings + """
        namespace Examples.Hybrid;

        [OdeModel]
        public partial class HybridPendulum
        {
            [State] Tensor theta, omega;
            [Param(9.81)] Tensor g;
            [Const] double length = 1.0;
            [Param(Init.Normal, 8, 2, Mean = 0.0, Std = 0.1)] Tensor W1;
            [Param(Init.Zeros, 8)] Tensor b1;
            [Param(Init.Zeros, 8)] Tensor w2;

            void Dynamics(Tensor t)
            {
                var s = cat(theta, omega);
                var correction = dot(w2, tanh(matmul(W1, s) + b1));

                dtheta = omega;
                domega = -(g / length) * sin(theta) + correction;
            }
        }
        """;

    /// <summary>Spiral in TorchSharp's own spelling: methods of Tensor and of torch instead of the Dsl functions.</summary>
    public const string SpiralInTorchSharp = Usings + """
        namespace Examples.Neural;

        [OdeModel]
        public partial class Spiral
        {
            [State(2)] Tensor y;
            [Param(Init.Glorot, 50, 2)] Tensor W1;
            [Param(Init.Zeros, 50)] Tensor b1;
            [Param(Init.Glorot, 2, 50)] Tensor W2;
            [Param(Init.Zeros, 2)] Tensor b2;

            void Dynamics(Tensor t)
            {
                var h = torch.tanh(W1.matmul(y.pow(3)).add(b1));
                dy = torch.matmul(W2, h) + b2;
            }
        }
        """;

    /// <summary>Van der Pol in TorchSharp's spelling.</summary>
    public const string VanDerPolInTorchSharp = Usings + """
        namespace Examples.Physics;

        [OdeModel]
        public partial class VanDerPol
        {
            [State] Tensor x, v;
            [Const] double mu = 1.0;

            void Dynamics(Tensor t)
            {
                dx = v;
                dv = (mu * (1 - x.pow(2))).mul(v).sub(x);
            }
        }
        """;
}
