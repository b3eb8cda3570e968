using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// Makes a direct solve's outputs differentiable with respect to <c>ts</c> (the solvers keep time as host doubles,
/// outside autograd) by two terms whose value is zero and whose derivative is the flow's: each output y_i (i ≥ 1) gets
/// <c>f(t_i, y_i)·(t_i − detach(t_i))</c>, so dL/dt_i = f(t_i, y_i)·dL/dy_i; and the solve starts from
/// <c>y0 − f(t_0, y0)·(t_0 − detach(t_0))</c>, since moving t_0 with y0 fixed moves every later output by
/// −∂y_i/∂y0·f(t_0, y0), so dL/dt_0 = −a(t_0)·f(t_0, y0) through the same steps that differentiate y0. Ys[0] stays
/// y0 itself, which does not move with t_0. Costs T evaluations of f without a graph (not counted in the stats).
/// </summary>
internal sealed class MovingTimes
{
    private readonly Dynamics f;
    private readonly Tensor ts;
    private readonly double[] times;
    private readonly bool perSampleTimes;

    /// <param name="module">The dynamics.</param>
    /// <param name="ts">The output times, requiring grad.</param>
    /// <param name="times">The same on the host.</param>
    /// <param name="perSampleTimes">The solve takes per-sample steps: the dynamics take <c>t</c> as <c>[B]</c>.</param>
    public MovingTimes(nn.Module<Tensor, Tensor, Tensor> module, Tensor ts, double[] times, bool perSampleTimes)
    {
        f = new Dynamics(module, ts);
        this.ts = ts;
        this.times = times;
        this.perSampleTimes = perSampleTimes;
    }

    /// <summary>y0, moving with t_0 (same value), to start the solve from.</summary>
    public Tensor Start(Tensor y0) => y0.sub(Slope(0, y0).mul(Offset(0)));

    /// <summary>The trajectory <c>[T, B, D]</c> with y0 at t_0 and every later output moving with its time.</summary>
    public Tensor Outputs(Tensor y0, Tensor ys)
    {
        var rows = new Tensor[times.Length];
        rows[0] = y0.unsqueeze(0);
        for (int i = 1; i < times.Length; i++)
        {
            Tensor yi = ys[i];
            rows[i] = yi.Plus(Slope(i, yi).mul(Offset(i))).unsqueeze(0);
        }
        return torch.cat(rows, 0);
    }

    /// <summary>f(t_i, y) without a graph.</summary>
    private Tensor Slope(int i, Tensor y)
    {
        using var noGrad = torch.no_grad();
        using Tensor state = y.detach();
        return perSampleTimes
            ? f.Evaluate(RootedScalars.Filled(new[] { y.shape[0] }, times[i], y.dtype, y.device), state)
            : f.Evaluate(times[i], state);
    }

    /// <summary>t_i − detach(t_i): zero, with derivative one with respect to t_i.</summary>
    private Tensor Offset(int i)
    {
        Tensor t = ts[i];
        return t.sub(t.detach());
    }
}
