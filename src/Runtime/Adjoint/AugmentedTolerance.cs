using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Adjoint;

/// <summary>
/// A backward-solve tolerance laid out over the packed augmented row (y, a, a_θ…). A number is used for every part,
/// as torchdiffeq does. A per-state tensor applies element by element to the state part y; the adjoint parts take
/// its smallest value. (torchdiffeq cannot take per-state tensors here at all: its augmented state is a tuple, and a
/// tensor tolerance is read as one number per tuple component. The state's tolerances describe the state's scales,
/// not those of dL/dy or dL/dθ, so the tightest of them is the safe choice for the adjoint parts.)
/// </summary>
internal static class AugmentedTolerance
{
    /// <param name="tolerance">The backward tolerance: a number, or a tensor that broadcasts to <c>[B, D]</c>.</param>
    /// <param name="batch">B.</param>
    /// <param name="width">D.</param>
    /// <param name="adjointSize">The elements of the adjoint parts: B·D for a plus every parameter's.</param>
    /// <param name="like">A tensor in the state's dtype and device.</param>
    /// <returns>The number, or a <c>[1, N]</c> tensor in the caller's dispose scope.</returns>
    public static Tolerance Pack(Tolerance tolerance, long batch, long width, long adjointSize, Tensor like)
    {
        if (tolerance.PerState is null)
            return tolerance;
        using var noGrad = torch.no_grad();
        using Tensor values = tolerance.ToTensor(like);
        using Tensor state = values.expand(batch, width).reshape(-1);
        using Tensor tightest = values.min();
        using Tensor adjoint = tightest.expand(adjointSize);
        return torch.cat(new[] { state, adjoint }, 0).unsqueeze(0);
    }
}
