using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Adjoint;

/// <summary>
/// Joins an adjoint solve to autograd: forward returns the trajectory computed without a graph; backward, when the
/// loss is backpropagated, runs the adjoint solve and hands autograd the gradients for y0 and every trainable
/// parameter, and for ts when it requires grad. Inputs: (the <see cref="AdjointSolve"/>, y0, ts, parameters…); only the
/// tensors are differentiated.
/// </summary>
internal sealed class AdjointFunction : autograd.SingleTensorFunction<AdjointFunction>
{
    public override string Name => "OdeAdjoint";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var solve = (AdjointSolve)vars[0];
        Tensor ys = solve.Forward((Tensor)vars[1]);
        ctx.save_data(nameof(AdjointSolve), solve);
        ctx.save_for_backward(new List<Tensor> { ys });
        return ys;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var solve = (AdjointSolve)ctx.get_data(nameof(AdjointSolve));
        Tensor ys = ctx.get_saved_variables()[0];
        var (y0, parameters, times) = solve.Backward(ys, grad_output);
        var gradients = new List<Tensor> { null!, y0, times! };
        gradients.AddRange(parameters);
        return gradients;
    }
}
