namespace OdeDsl;

/// <summary>
/// How to solve: the method and its error control. The defaults are torchdiffeq's
/// (dopri5, rtol 1e-7, atol 1e-9, safety 0.9, step factors between 0.2 and 10).
/// </summary>
public sealed record SolverOptions
{
    /// <summary>The integration method.</summary>
    public OdeMethod Method { get; init; } = OdeMethod.Dopri5;

    /// <summary>
    /// Relative tolerance of adaptive methods (&gt; 0): a number, or a tensor of per-state values (<c>[D]</c> or
    /// <c>[B, D]</c>, see <see cref="Tolerance"/>).
    /// </summary>
    public Tolerance RelTol { get; init; } = 1e-7;

    /// <summary>
    /// Absolute tolerance of adaptive methods (&gt; 0): a number, or a tensor of per-state values (<c>[D]</c> or
    /// <c>[B, D]</c>, see <see cref="Tolerance"/>).
    /// </summary>
    public Tolerance AbsTol { get; init; } = 1e-9;

    /// <summary>Step size of fixed-step methods (required for them; not allowed for adaptive ones).</summary>
    public double? StepSize { get; init; }

    /// <summary>The first step of an adaptive method; by default chosen by Hairer's heuristic (2 evaluations).</summary>
    public double? FirstStep { get; init; }

    /// <summary>Smallest step an adaptive method may take; a step rejected at this size is an error.</summary>
    public double MinStep { get; init; }

    /// <summary>Largest step an adaptive method may take.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary>Maximum number of attempted steps (accepted + rejected) over the whole solve.</summary>
    public int MaxSteps { get; init; } = 1_000_000;

    /// <summary>
    /// Whether a sample that cannot finish makes the solve throw <see cref="OdeSolverException"/> (the default, carrying
    /// the partial solution in <see cref="OdeSolverException.Partial"/>). When false (diffrax's <c>throw=False</c>) the
    /// solve returns what it has: each sample's <see cref="OdeSolution.Status"/>, the outputs every sample reached, and
    /// NaN for the outputs a failed sample never reached. With shared steps, samples that fail by NaN/infinity or step
    /// size underflow are frozen and the rest go on; see <see cref="OdeSolution.Status"/>. For
    /// <c>Ode.SolveEvent</c> a sample without an event by <see cref="EventOptions.MaxTime"/> is such a failure too
    /// (<see cref="OdeStatus.NoEvent"/>; see <see cref="OdeEventSolution.Status"/>).
    /// </summary>
    public bool ThrowOnFailure { get; init; } = true;

    /// <summary>
    /// Give every sample of the batch its own step size, accept/reject decision, error norm and statistics
    /// (torchode's semantics) instead of one step size for the whole batch (torchdiffeq's). The dynamics then
    /// receive <c>t</c> as a <c>[B]</c> tensor of per-sample times. With <c>Ode.SolveEvent</c> each sample also stops at
    /// its own event on its own steps. Fixed-step methods step every sample alike and ignore it.
    /// </summary>
    public bool PerSampleSteps { get; init; }

    /// <summary>
    /// Keep every accepted step's interpolant so that <see cref="OdeSolution.Evaluate"/> gives the state at any time of
    /// the solved interval without another solve (torchdiffeq's <c>odeint_dense</c>, diffrax's <c>SaveAt(dense=True)</c>).
    /// Memory: five <c>[B, D]</c> tensors per accepted step (the coefficients of the step's quartic dense output; the
    /// cubic Hermite interpolant for fixed-step methods), differentiable like the solve. Shared steps only (not with
    /// <see cref="PerSampleSteps"/>) and not with <see cref="Ode.SolveAdjoint(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/>.
    /// </summary>
    public bool Dense { get; init; }

    /// <summary>The backward solve of <see cref="Ode.SolveAdjoint(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/>: tolerances and seminorm.</summary>
    public AdjointOptions Adjoint { get; init; } = new();

    /// <summary>Safety factor of the step-size controller.</summary>
    public double Safety { get; init; } = 0.9;

    /// <summary>Largest factor by which one step may grow the step size.</summary>
    public double MaxFactor { get; init; } = 10.0;

    /// <summary>Smallest factor by which one rejected step may shrink the step size.</summary>
    public double MinFactor { get; init; } = 0.2;
}
