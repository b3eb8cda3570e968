namespace OdeDsl;

/// <summary>How <see cref="Cnf"/> integrates a flow between the data (t = 0) and the base distribution (t = <see cref="EndTime"/>).</summary>
public sealed record CnfOptions
{
    /// <summary>T: the time at which the flow reaches its standard normal base; FFJORD's convention is 1.</summary>
    public double EndTime { get; init; } = 1.0;

    /// <summary>The solver and its tolerances for (z, log p); torchdiffeq's defaults when not set.</summary>
    public SolverOptions Solver { get; init; } = new();

    /// <summary>
    /// Differentiate by the adjoint method (<see cref="Ode.SolveAdjoint(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/>: memory that does not grow with the number
    /// of steps) instead of backpropagating through the solver's steps.
    /// </summary>
    public bool Adjoint { get; init; }

    /// <summary>
    /// How <c>Cnf.LogProb</c> takes tr(∂f/∂z): exactly (the generated divergence,
    /// the default), or by Hutchinson's unbiased estimate eᵀ(∂f/∂z)e with one noise vector per sample, fixed for the
    /// solve (FFJORD's choice for very large D; one generated forward-mode product per evaluation).
    /// </summary>
    public TraceEstimator Trace { get; init; } = TraceEstimator.Exact;

    /// <summary>The generator Hutchinson's noise is drawn from (seed it to repeat a solve); TorchSharp's global one when null.</summary>
    public TorchSharp.torch.Generator? Noise { get; init; }

    /// <summary>Hutchinson's noise itself, <c>[B, D]</c> like the data, instead of a draw (to repeat another library's computation).</summary>
    public TorchSharp.torch.Tensor? NoiseValues { get; init; }

    /// <summary>
    /// RNODE's regularisers (Finlay et al., ICML 2020) to integrate alongside the state, returned by
    /// <c>Cnf.Evaluate</c>: the kinetic energy ∫|f|² dt and the Jacobian's Frobenius norm ∫‖∂f/∂z‖²_F dt, per sample,
    /// both exact (the latter from the generated Jacobian).
    /// </summary>
    public FlowRegularizers Regularizers { get; init; } = FlowRegularizers.None;
}

/// <summary>RNODE's regularisers of a flow, to combine.</summary>
[System.Flags]
public enum FlowRegularizers
{
    /// <summary>No regulariser.</summary>
    None = 0,
    /// <summary>∫₀ᵀ |f(t, z)|² dt per sample.</summary>
    KineticEnergy = 1,
    /// <summary>∫₀ᵀ ‖∂f/∂z‖²_F dt per sample.</summary>
    JacobianFrobenius = 2,
}

/// <summary>How a flow's log-density takes the trace of its Jacobian.</summary>
public enum TraceEstimator
{
    /// <summary>The generated exact divergence.</summary>
    Exact,
    /// <summary>Hutchinson's estimate with Rademacher noise (each entry ±1).</summary>
    HutchinsonRademacher,
    /// <summary>Hutchinson's estimate with standard normal noise.</summary>
    HutchinsonGaussian,
}
