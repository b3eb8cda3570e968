namespace OdeDsl;

/// <summary>How <see cref="Cnf"/> integrates a flow between the data (t = 0) and the base distribution (t = <see cref="EndTime"/>).</summary>
public sealed record CnfOptions
{
    /// <summary>T: the time at which the flow reaches its standard normal base; FFJORD's convention is 1.</summary>
    public double EndTime { get; init; } = 1.0;

    /// <summary>The solver and its tolerances for (z, log p); torchdiffeq's defaults when not set.</summary>
    public SolverOptions Solver { get; init; } = new();

    /// <summary>
    /// Differentiate by the adjoint method (<see cref="Ode.SolveAdjoint"/>: memory that does not grow with the number
    /// of steps) instead of backpropagating through the solver's steps.
    /// </summary>
    public bool Adjoint { get; init; }
}
