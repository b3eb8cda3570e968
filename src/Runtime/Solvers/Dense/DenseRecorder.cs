using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers.Dense;

/// <summary>
/// Collects the accepted steps' polynomials during a solve (<see cref="SolverOptions.Dense"/>) and hands them over as
/// one <see cref="DenseTrajectory"/> at the end. The polynomials keep their autograd history, so evaluating the
/// trajectory is differentiable like the solve.
/// </summary>
internal sealed class DenseRecorder : IDisposable
{
    private readonly List<double> starts = new(), steps = new();
    private readonly List<Tensor> polynomials = new();

    /// <summary>Adds the step of <paramref name="h"/> from <paramref name="t0"/>; takes <paramref name="polynomial"/> out of the step's dispose scope.</summary>
    public void Add(double t0, double h, Tensor polynomial)
    {
        starts.Add(t0);
        steps.Add(h);
        polynomials.Add(polynomial.DetachFromDisposeScope());
    }

    /// <summary>
    /// The trajectory of every recorded step over [<paramref name="first"/>, <paramref name="last"/>], in the caller's
    /// dispose scope; a constant <paramref name="y0"/> for a solve without steps (a single time).
    /// </summary>
    public DenseTrajectory Build(double first, double last, string model, Tensor y0)
    {
        if (polynomials.Count == 0)
        {
            using var scope = torch.NewDisposeScope();
            Tensor constant = torch.cat(new[] { y0.unsqueeze(0), torch.zeros(StepPolynomial.Size - 1, y0.shape[0], y0.shape[1], y0.dtype, y0.device) }, 0);
            return new DenseTrajectory(new[] { first }, new[] { 1.0 }, constant.unsqueeze(0).MoveToOuterDisposeScope(), first, last, model);
        }
        return new DenseTrajectory(starts.ToArray(), steps.ToArray(), torch.stack(polynomials, 0), first, last, model);
    }

    public void Dispose()
    {
        foreach (Tensor polynomial in polynomials)
            polynomial.Dispose();
        polynomials.Clear();
    }
}
