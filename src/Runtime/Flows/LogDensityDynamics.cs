using System.Collections.Generic;
using TorchSharp;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl.Flows;

/// <summary>
/// The augmented dynamics of a flow, d/dt [z, Δ] = [f(t, z), tr(∂f/∂z)] (one fused evaluation of both, the flow's
/// <see cref="IFlow.DynamicsAndDivergence"/>), on a state packed as <c>[B, D + 1]</c>: Δ
/// accumulates the change of log-density, so that log p(x) = log p_base(z(T)) + Δ(T) (the instantaneous change of
/// variables, Chen et al., NeurIPS 2018, Theorem 1).
/// </summary>
/// <remarks>
/// The flow's parameters are this module's (so the adjoint differentiates them) but the flow is not a registered
/// child: disposing a module disposes its children's parameters, and this wrapper must never take the user's flow
/// with it. It is not disposed; it owns nothing.
/// </remarks>
internal class LogDensityDynamics : nn.Module<Tensor, Tensor, Tensor>, INamedDynamics
{
    private readonly OdeModel flow;
    private readonly IFlow divergence;
    private readonly long width;
    private readonly Tensor? noise;
    private readonly FlowRegularizers regularizers;

    /// <param name="flow">The flow.</param>
    /// <param name="noise">Hutchinson's noise <c>[B, D]</c>, fixed for the solve, or null for the exact divergence.</param>
    /// <param name="regularizers">RNODE's integrals to carry after Δ, in the order kinetic energy, Frobenius norm.</param>
    public LogDensityDynamics(OdeModel flow, Tensor? noise, FlowRegularizers regularizers) : base("LogDensityDynamics")
    {
        this.flow = flow;
        divergence = (IFlow)flow;
        width = flow.StateSize;
        this.noise = noise;
        this.regularizers = regularizers;
        KineticColumn = regularizers.HasFlag(FlowRegularizers.KineticEnergy) ? 1 : -1;
        FrobeniusColumn = regularizers.HasFlag(FlowRegularizers.JacobianFrobenius) ? (KineticColumn > 0 ? 2 : 1) : -1;
        DisplayName = $"{flow.GetType().Name} (z, log p)";
    }

    /// <summary>The columns after z: Δ, then each regulariser asked for.</summary>
    public int Integrals => 1 + (KineticColumn > 0 ? 1 : 0) + (FrobeniusColumn > 0 ? 1 : 0);

    /// <summary>The kinetic energy's column after z (−1 when not integrated); Δ is column 0.</summary>
    public int KineticColumn { get; }

    /// <summary>The Frobenius norm's column after z (−1 when not integrated).</summary>
    public int FrobeniusColumn { get; }

    public string DisplayName { get; }

    public override IEnumerable<(string name, TorchSharp.Modules.Parameter parameter)> named_parameters(bool recurse = true) =>
        flow.named_parameters(recurse);

    public override Tensor forward(Tensor t, Tensor state)
    {
        using var scope = torch.NewDisposeScope();
        Tensor z = state.narrow(1, 0, width);
        (Tensor dz, Tensor trace) = noise is null ? divergence.DynamicsAndDivergence(t, z) : (flow.call(t, z), Hutchinson(t, z, noise));
        var columns = new List<Tensor> { dz, trace.unsqueeze(1) };
        if (regularizers.HasFlag(FlowRegularizers.KineticEnergy))
            columns.Add(dz.square().sum(new long[] { 1 }, keepdim: true));
        if (regularizers.HasFlag(FlowRegularizers.JacobianFrobenius))
            columns.Add(Jacobian(t, z).square().sum(new long[] { 1, 2 }).unsqueeze(1));
        return torch.cat(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>∂f/∂z <c>[B, D, D]</c>: the generated Jacobian, or autograd's one row at a time without it.</summary>
    private Tensor Jacobian(Tensor t, Tensor z)
    {
        if (flow is IHasJacobian jacobian)
            return jacobian.Jacobian(t, z);
        using var grad = torch.enable_grad();
        Tensor input = z.requires_grad ? z : z.detach().requires_grad_(true);
        Tensor f = flow.call(t, input);
        var rows = new Tensor[width];
        for (int i = 0; i < width; i++)
            rows[i] = torch.autograd.grad(new[] { f.select(1, i).sum() }, new[] { input }, retain_graph: true, create_graph: true)[0];
        return torch.stack(rows, 1);
    }

    /// <summary>eᵀ(∂f/∂z)e per sample: the generated forward-mode product, or one reverse pass of autograd without it.</summary>
    private Tensor Hutchinson(Tensor t, Tensor z, Tensor e)
    {
        if (flow is IHasJvp jvp)
            return (e * jvp.Jvp(t, z, e)).sum(new long[] { 1 });
        using var grad = torch.enable_grad();
        Tensor input = z.requires_grad ? z : z.detach().requires_grad_(true);
        Tensor f = flow.call(t, input);
        Tensor eJ = torch.autograd.grad(new[] { f }, new[] { input }, grad_outputs: new[] { e }, create_graph: true)[0];
        return (eJ * e).sum(new long[] { 1 });
    }
}

/// <summary>
/// The exact (z, Δ) dynamics of a flow whose adjoint is generated (<see cref="IHasFlowVjp"/>): the adjoint method then
/// takes its vector–Jacobian products, second-order terms included, from the flow's FlowVjp instead of autograd.
/// </summary>
internal sealed class GeneratedLogDensityDynamics : LogDensityDynamics, IHasVjp
{
    private readonly IHasFlowVjp products;
    private readonly long size;

    public GeneratedLogDensityDynamics(OdeModel flow) : base(flow, noise: null, FlowRegularizers.None)
    {
        products = (IHasFlowVjp)flow;
        size = flow.StateSize;
    }

    /// <summary>For a = [a_z, a_Δ]: [f, div], [a_zᵀ∂f/∂z + a_Δ·∂div/∂z, 0] (Δ feeds nothing back) and the same for θ and t.</summary>
    public VjpResult Vjp(Tensor t, Tensor y, Tensor a)
    {
        Tensor z = y.narrow(1, 0, size);
        FlowVjpResult result = products.FlowVjp(t, z, a.narrow(1, 0, size), a.select(1, size));
        Tensor dynamics = torch.cat(new[] { result.Dynamics, result.Divergence.unsqueeze(1) }, 1);
        Tensor state = torch.cat(new[] { result.State, torch.zeros(y.shape[0], 1, dtype: y.dtype, device: y.device) }, 1);
        return new VjpResult(dynamics, state, result.Parameters, result.Time);
    }
}
