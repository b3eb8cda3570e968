using TorchSharp;
using static TorchSharp.torch;

namespace Examples.Lorenz;

/// <summary>
/// The Lorenz system written by hand as a TorchSharp module: dx/dt = σ(y − x), dy/dt = x(ρ − z) − y, dz/dt = xy − βz.
/// (The next step replaces it with the model compiled from lorenz.ode.)
/// </summary>
internal sealed class LorenzModel : nn.Module<Tensor, Tensor, Tensor>
{
    private const double Sigma = 10.0, Rho = 28.0, Beta = 8.0 / 3.0;

    public LorenzModel() : base(nameof(LorenzModel))
    {
    }

    public override Tensor forward(Tensor t, Tensor state)
    {
        Tensor[] c = state.unbind(1);
        Tensor x = c[0], y = c[1], z = c[2];
        return stack(new[] { (y - x) * Sigma, x * (Rho - z) - y, x * y - z * Beta }, 1);
    }
}
