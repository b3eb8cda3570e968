using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeDsl.Adjoint;

/// <summary>
/// f(t, y) and the products vᵀ∂f/∂y, vᵀ∂f/∂θ for a cotangent v: the generated analytic ones when the model has
/// them (<see cref="IHasVjp"/>), otherwise one reverse pass of autograd through <c>forward</c>.
/// </summary>
internal sealed class VectorJacobian
{
    private readonly nn.Module<Tensor, Tensor, Tensor> module;
    private readonly int[] trainable;

    /// <param name="module">The dynamics.</param>
    /// <param name="trainable">Indices, in <c>parameters()</c> order, of the parameters to differentiate.</param>
    public VectorJacobian(nn.Module<Tensor, Tensor, Tensor> module, int[] trainable)
    {
        this.module = module;
        this.trainable = trainable;
    }

    public (Tensor F, Tensor State, Tensor[] Parameters) Evaluate(Tensor t, Tensor y, Tensor v)
    {
        if (module is IHasVjp analytic)
        {
            VjpResult generated = analytic.Vjp(t, y, v);
            return (generated.Dynamics, generated.State, trainable.Select(i => generated.Parameters[i]).ToArray());
        }
        return Autograd(t, y, v);
    }

    private (Tensor F, Tensor State, Tensor[] Parameters) Autograd(Tensor t, Tensor y, Tensor v)
    {
        Parameter[] all = module.parameters().ToArray();
        Tensor[] parameters = trainable.Select(i => (Tensor)all[i]).ToArray();
        using var grad = torch.enable_grad();
        Tensor state = y.detach().requires_grad_(true);
        Tensor f = module.call(t, state);
        // autograd.grad aborts the process (not an exception) on a graph that does not need it: check first.
        if (!f.requires_grad)
            return (f.detach(), torch.zeros_like(y), parameters.Select(p => torch.zeros_like(p)).ToArray());
        var inputs = new List<Tensor> { state };
        inputs.AddRange(parameters);
        IList<Tensor> grads = torch.autograd.grad(new[] { f }, inputs, new[] { v }, allow_unused: true);
        // allow_unused yields an invalid handle, not null, for an input f does not depend on.
        Tensor Or(int i, Tensor like) => grads[i].IsInvalid ? torch.zeros_like(like) : grads[i];
        return (f.detach(), Or(0, y), parameters.Select((p, i) => Or(i + 1, p)).ToArray());
    }
}
