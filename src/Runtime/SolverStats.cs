namespace OdeDsl;

/// <summary>What a solve cost.</summary>
/// <param name="FunctionEvaluations">Calls of the dynamics (including the initial-step heuristic's).</param>
/// <param name="AcceptedSteps">Steps that advanced the solution.</param>
/// <param name="RejectedSteps">Steps whose error estimate exceeded the tolerance and were retried smaller.</param>
public sealed record SolverStats(long FunctionEvaluations, long AcceptedSteps, long RejectedSteps)
{
    /// <summary>
    /// With <see cref="SolverOptions.PerSampleSteps"/>: each sample's own statistics (the evaluations it took part
    /// in, its accepted and rejected steps); the totals are then the calls of the dynamics and the sums of the
    /// samples' steps. Null when the batch shares one step size.
    /// </summary>
    public System.Collections.Generic.IReadOnlyList<SolverStats>? PerSample { get; init; }

    /// <summary>Accepted plus rejected steps.</summary>
    public long AttemptedSteps => AcceptedSteps + RejectedSteps;

    /// <inheritdoc />
    public override string ToString() =>
        $"{FunctionEvaluations} function evaluations, {AcceptedSteps} accepted and {RejectedSteps} rejected steps";
}
