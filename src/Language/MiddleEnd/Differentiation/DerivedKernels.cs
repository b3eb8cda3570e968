using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Differentiation;

/// <summary>
/// Which kernels a model gets, and the pass that derives each from its optimised forward kernel. This is the one
/// place that decides what the generator emits: the emitter writes every kernel of the model it is given and derives
/// nothing itself.
/// </summary>
/// <remarks>
/// Every model gets <see cref="IrKernelKind.Vjp"/> (the adjoint method needs it for any model),
/// <see cref="IrKernelKind.Jvp"/> (Jacobian–vector products; TorchSharp has no forward-mode autograd) and
/// <see cref="IrKernelKind.Jacobian"/> (implicit solvers, and the exact divergence of flows). A cheaper closed-form
/// divergence for chains of layers will be a further pass here over the same forward kernel.
/// </remarks>
public static class DerivedKernels
{
    /// <summary>The kernels the generator emits for every model beyond its forward kernel, in order.</summary>
    public static readonly IrKernelKind[] Emitted = { IrKernelKind.Vjp, IrKernelKind.Jvp, IrKernelKind.Jacobian };

    /// <summary>
    /// The model with every emitted kernel added after its forward kernel, and the closed-form Divergence kernel when
    /// the cost model chooses one (otherwise the Jacobian's trace is the divergence).
    /// </summary>
    public static IrModel Add(IrModel model)
    {
        IrModel derived = Emitted.Aggregate(model, (current, kind) => current.WithKernel(Derive(current, kind)));
        if (ClosedFormTrace.TryDerive(model) is not IrKernel divergence)
            return derived;
        derived = derived.WithKernel(divergence);
        if (model.Kind != IrModelKind.Flow)
            return derived;
        // A flow's (z, log p) dynamics evaluate f and the divergence together, sharing the hidden layers; their adjoint
        // is reverse mode over that kernel, second-order terms included.
        IrKernel dynamics = ClosedFormTrace.TryDerive(model, withDynamics: true)!;
        return derived.WithKernel(dynamics).WithKernel(ReverseMode.DifferentiateFlow(model, dynamics));
    }

    /// <summary>One kernel of <paramref name="model"/>: the one it has, or derived from its forward kernel now.</summary>
    public static IrKernel Derive(IrModel model, IrKernelKind kind) => model.Kernel(kind) ?? kind switch
    {
        IrKernelKind.Vjp => ReverseMode.Differentiate(model),
        IrKernelKind.Jvp => ForwardMode.Differentiate(model),
        IrKernelKind.Jacobian => ForwardMode.Jacobian(model),
        IrKernelKind.Divergence or IrKernelKind.FlowDynamics => ClosedFormTrace.TryDerive(model, withDynamics: kind == IrKernelKind.FlowDynamics)
            ?? throw new System.InvalidOperationException($"Model '{model.Name}' has no closed-form divergence: its Jacobian's trace is the divergence."),
        IrKernelKind.FlowVjp => ReverseMode.DifferentiateFlow(model, Derive(model, IrKernelKind.FlowDynamics)),
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "The forward kernel is lowered, not derived."),
    };
}
