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
internal sealed class LogDensityDynamics : nn.Module<Tensor, Tensor, Tensor>, INamedDynamics
{
    private readonly OdeModel flow;
    private readonly IFlow divergence;
    private readonly long width;
    private readonly Tensor? noise;

    /// <param name="flow">The flow.</param>
    /// <param name="noise">Hutchinson's noise <c>[B, D]</c>, fixed for the solve, or null for the exact divergence.</param>
    public LogDensityDynamics(OdeModel flow, Tensor? noise) : base("LogDensityDynamics")
    {
        this.flow = flow;
        divergence = (IFlow)flow;
        width = flow.StateSize;
        this.noise = noise;
        DisplayName = $"{flow.GetType().Name} (z, log p)";
    }

    public string DisplayName { get; }

    public override IEnumerable<(string name, TorchSharp.Modules.Parameter parameter)> named_parameters(bool recurse = true) =>
        flow.named_parameters(recurse);

    public override Tensor forward(Tensor t, Tensor state)
    {
        using var scope = torch.NewDisposeScope();
        Tensor z = state.narrow(1, 0, width);
        (Tensor dz, Tensor trace) = noise is null ? divergence.DynamicsAndDivergence(t, z) : (flow.call(t, z), Hutchinson(t, z, noise));
        return torch.cat(new[] { dz, trace.unsqueeze(1) }, 1).MoveToOuterDisposeScope();
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
