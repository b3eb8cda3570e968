using System;
using TorchSharp;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl.Events;

/// <summary>
/// Gradients through located events by the implicit function theorem (torchdiffeq's <c>odeint_event</c>; Chen, Amos
/// and Nickel, "Learning neural event functions", ICLR 2021). The event time t* solves g(t*, y(t*)) = 0, so
/// <c>dt* = −(∂g/∂y·dy + dg_params) / (∂g/∂t + ∂g/∂y·f(t*, y*))</c>, and the state there moves with it:
/// <c>dy* = dy + f(t*, y*)·dt*</c>. Both are written as ordinary tensor expressions whose values are the located
/// ones and whose gradients are these, so any loss after them backpropagates without a custom autograd function.
/// </summary>
internal static class EventGradient
{
    /// <summary>
    /// <paramref name="y0"/> moved so that its gradient carries that of the start time: a later start is an earlier
    /// state on the same trajectory, <c>∂y(t; t0, y0)/∂t0 = −Φ(t, t0) f(t0, y0)</c>. The value is <paramref name="y0"/>'s.
    /// With <paramref name="perSampleTimes"/> the dynamics take <c>t</c> as <c>[B]</c> (per-sample stepping).
    /// </summary>
    public static Tensor StartTimeShift(nn.Module<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor t0, bool perSampleTimes)
    {
        if (!t0.requires_grad)
            return y0;
        Tensor slope;
        using (torch.no_grad())
        {
            Tensor start = perSampleTimes ? t0.detach().reshape(1).expand(y0.shape[0]) : t0.detach();
            slope = dynamics.call(start, y0.detach());
        }
        return y0.sub(slope.mul(t0.sub(t0.detach())));
    }

    /// <summary>
    /// The differentiable event times <c>[B]</c> and states <c>[B, D]</c> from the located ones:
    /// <paramref name="time"/> (constant), <paramref name="state"/> (the solution at those times, with its graph) and
    /// the firing <paramref name="component"/> of each sample. With <paramref name="perSampleTimes"/> the dynamics take
    /// <c>t</c> as <c>[B]</c> (per-sample stepping), so one call gives every sample's slope.
    /// </summary>
    public static (Tensor Time, Tensor State) Reroute(nn.Module<Tensor, Tensor, Tensor> dynamics, Func<Tensor, Tensor, Tensor> eventFunction,
        EventCondition condition, Tensor time, Tensor state, Tensor component, string model, bool perSampleTimes)
    {
        Tensor index = component.unsqueeze(1);
        Tensor slope, denominator;
        using (torch.NewDisposeScope())
        {
            Tensor t = time.detach().requires_grad_();
            Tensor y = state.detach().requires_grad_();
            using (torch.enable_grad())
            {
                Tensor g = condition.Evaluate(t, y).gather(1, index).sum();
                if (!g.requires_grad)
                    throw new ArgumentException($"{model}: the event function depends on neither t nor y, so its event time cannot be differentiated.", "eventFunction");
                var partials = torch.autograd.grad(new[] { g }, new[] { t, y }, allow_unused: true);
                using (torch.no_grad())
                {
                    slope = perSampleTimes
                        ? dynamics.call(time.detach(), state.detach())
                        : SlopeAtEachTime(dynamics, time.detach(), state.detach());
                    Tensor dgdt = partials[0].IsInvalid ? torch.zeros_like(time) : partials[0];
                    Tensor dgdy = partials[1].IsInvalid ? torch.zeros_like(state) : partials[1];
                    denominator = dgdt.Plus(dgdy.mul(slope).sum(1));
                    // A grazing event (g tangent to zero) has no finite derivative; keep it finite as torchdiffeq does.
                    denominator = torch.where(denominator.ge(0), denominator.PlusNumber(1e-12), denominator.PlusNumber(-1e-12));
                }
                slope = slope.MoveToOuterDisposeScope();
                denominator = denominator.MoveToOuterDisposeScope();
            }
        }
        Tensor c = condition.Evaluate(time, state).gather(1, index).squeeze(1);   // value ≈ 0; its gradient is dg
        Tensor shift = -(c - c.detach()) / denominator;                          // value 0; gradient dt*
        return (time.Plus(shift), state.Plus(slope.mul(shift.unsqueeze(1))));
    }

    /// <summary>
    /// f(t_b, y_b) row by row: the dynamics take one time for the whole batch, and each sample's event has its own.
    /// One evaluation per sample, once per event solve.
    /// </summary>
    private static Tensor SlopeAtEachTime(nn.Module<Tensor, Tensor, Tensor> dynamics, Tensor time, Tensor state)
    {
        long batch = state.shape[0];
        var rows = new Tensor[batch];
        for (long b = 0; b < batch; b++)
            rows[b] = dynamics.call(time[b], state.narrow(0, b, 1));
        return torch.cat(rows, 0);
    }
}
