namespace OdeDsl;

/// <summary>
/// How <see cref="Ode.SolveAdjoint(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/> integrates the adjoint system backwards. By default it uses the forward
/// solve's method and tolerances, and the error norm of torchdiffeq: the largest RMS over the state, its adjoint
/// and each parameter's adjoint.
/// </summary>
public sealed record AdjointOptions
{
    /// <summary>
    /// Relative tolerance of the backward solve; null takes the forward's. A number applies to every part of the
    /// augmented state (y, its adjoint a, the parameters' adjoints), as in torchdiffeq. A per-state tensor
    /// (<c>[D]</c> or <c>[B, D]</c>, see <see cref="Tolerance"/>) applies to the state part y, element by element;
    /// the adjoint parts a and a_θ, whose scales the state's tolerances say nothing about, take its smallest
    /// (tightest) value, so no part is solved more loosely than the tightest state.
    /// </summary>
    public Tolerance? RelTol { get; init; }

    /// <summary>
    /// Absolute tolerance of the backward solve; null takes the forward's. Numbers and per-state tensors as for
    /// <see cref="RelTol"/>: a tensor applies to the state part, its smallest value to the adjoint parts.
    /// </summary>
    public Tolerance? AbsTol { get; init; }

    /// <summary>
    /// Leave the parameters' adjoints out of the error norm (Kidger, Chen and Lyons, "Hey, that's not an ODE",
    /// ICML 2021): they do not feed back into the dynamics, so their error need not limit the steps. Typically
    /// saves 40% of the backward evaluations at the same gradient accuracy.
    /// </summary>
    public bool Seminorm { get; init; }

    /// <summary>
    /// Start each interval of the backward solve (between consecutive output times) with the step size the previous
    /// interval ended with, instead of a fresh initial-step selection. The adjoint jumps at every output time, so no
    /// step crosses one, but the step size carries over: with many output times this saves the selection's
    /// evaluation and the ramp-up steps after it in every interval. Off by default, which takes exactly
    /// torchdiffeq's backward steps; the first interval still selects its step (or takes
    /// <see cref="SolverOptions.FirstStep"/>).
    /// </summary>
    public bool CarryStepSize { get; init; }
}
