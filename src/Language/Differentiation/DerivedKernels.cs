using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Differentiation;

/// <summary>
/// Which kernels a model gets, and the pass that derives each from its optimised forward kernel. This is the one
/// place that decides what the generator emits: the emitter writes every kernel of the model it is given and derives
/// nothing itself.
/// </summary>
/// <remarks>
/// Every model gets <see cref="IrKernelKind.Vjp"/> (the adjoint method needs it for any model). Forward-mode kernels
/// (Jvp, Jacobian, the exact divergence of a flow) plug in here as further passes over the same forward kernel.
/// </remarks>
public static class DerivedKernels
{
    /// <summary>The model with every derived kernel added after its forward kernel.</summary>
    public static IrModel Add(IrModel model) => model.WithKernel(ReverseMode.Differentiate(model));
}
