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

    public LogDensityDynamics(OdeModel flow) : base("LogDensityDynamics")
    {
        this.flow = flow;
        divergence = (IFlow)flow;
        width = flow.StateSize;
        DisplayName = $"{flow.GetType().Name} (z, log p)";
    }

    public string DisplayName { get; }

    public override IEnumerable<(string name, TorchSharp.Modules.Parameter parameter)> named_parameters(bool recurse = true) =>
        flow.named_parameters(recurse);

    public override Tensor forward(Tensor t, Tensor state)
    {
        using var scope = torch.NewDisposeScope();
        Tensor z = state.narrow(1, 0, width);
        (Tensor dz, Tensor trace) = divergence.DynamicsAndDivergence(t, z);
        return torch.cat(new[] { dz, trace.unsqueeze(1) }, 1).MoveToOuterDisposeScope();
    }
}
