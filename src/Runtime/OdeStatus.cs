namespace OdeDsl;

/// <summary>How one sample's solve ended (<see cref="OdeSolution.Status"/>, diffrax's <c>RESULTS</c>).</summary>
public enum OdeStatus
{
    /// <summary>The sample reached every requested time.</summary>
    Success,

    /// <summary>
    /// The sample needed more than <see cref="SolverOptions.MaxSteps"/> steps. With shared steps the budget is the
    /// batch's, so every sample still integrating gets this status together.
    /// </summary>
    MaxStepsExceeded,

    /// <summary>
    /// The step size became too small to advance time, or a step of <see cref="SolverOptions.MinStep"/> was
    /// rejected; typically a finite-time blow-up or a discontinuity.
    /// </summary>
    StepSizeUnderflow,

    /// <summary>The dynamics produced NaN or infinity for this sample and smaller steps did not help.</summary>
    NonFiniteState,

    /// <summary>
    /// A terminal event stopped the sample. Set by the event solver (<c>Ode.SolveEvent</c>), never by <c>Ode.Solve</c>.
    /// </summary>
    Event,

    /// <summary>
    /// The sample's event function did not change sign by <see cref="EventOptions.MaxTime"/> (<c>Ode.SolveEvent</c> with
    /// <see cref="SolverOptions.ThrowOnFailure"/> off): not a failure of the solve, but there is no event to report,
    /// so its event time and state are NaN.
    /// </summary>
    NoEvent,
}
