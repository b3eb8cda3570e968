using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Adjoint;

/// <summary>
/// The adjoint system of Chen et al. (NeurIPS 2018), integrated backwards in time, as one packed row
/// <c>[1, N]</c> = (y, a, a_θ₁, …): dy/dt = f(t, y), da/dt = −aᵀ∂f/∂y, da_θ/dt = −aᵀ∂f/∂θ.
/// One evaluation is one evaluation of the dynamics plus one vector–Jacobian product. The backward solve steps the
/// packed row with one (shared) step size; when the forward took per-sample steps, the dynamics expect a <c>[B]</c>
/// tensor of times, so they get this step's time once per sample.
/// </summary>
internal sealed class AugmentedDynamics : nn.Module<Tensor, Tensor, Tensor>, OdeDsl.Solvers.INamedDynamics
{
    private readonly VectorJacobian products;
    private readonly long batch, width;
    private readonly bool perSampleTimes;

    /// <param name="name">What errors call it.</param>
    /// <param name="products">f and its vector–Jacobian products.</param>
    /// <param name="batch">B.</param>
    /// <param name="width">D.</param>
    /// <param name="perSampleTimes">Hand the dynamics <c>t</c> as <c>[B]</c> (the forward used per-sample steps).</param>
    public AugmentedDynamics(string name, VectorJacobian products, long batch, long width, bool perSampleTimes)
        : base(nameof(AugmentedDynamics))
    {
        this.perSampleTimes = perSampleTimes;
        DisplayName = name;
        this.products = products;
        this.batch = batch;
        this.width = width;
    }

    /// <summary>"Model (adjoint)", for the messages of a failing backward solve.</summary>
    public string DisplayName { get; }

    public override Tensor forward(Tensor t, Tensor packed)
    {
        long size = batch * width;
        Tensor row = packed.select(0, 0);
        Tensor y = row.narrow(0, 0, size).view(batch, width);
        Tensor a = row.narrow(0, size, size).view(batch, width);
        Tensor time = perSampleTimes ? t.expand(batch) : t;
        var (f, state, parameters) = products.Evaluate(time, y, a.neg());
        var parts = new[] { f.reshape(-1), state.reshape(-1) }.Concat(parameters.Select(p => p.reshape(-1)));
        return torch.cat(parts.ToList(), 0).unsqueeze(0);
    }
}
