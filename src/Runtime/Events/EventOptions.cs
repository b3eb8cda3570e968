namespace OdeDsl;

/// <summary>How <see cref="Ode.SolveEvent(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, System.Func{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, SolverOptions?, EventOptions?)"/> finds and differentiates events.</summary>
public sealed record EventOptions
{
    /// <summary>Which sign changes count (every component of the event function alike).</summary>
    public EventDirection Direction { get; init; } = EventDirection.Either;

    /// <summary>
    /// How closely the event time is located within the step that crosses (bisection on the step's dense output,
    /// &gt; 0). The state there is the dense output's, so the method's tolerances bound its accuracy too.
    /// </summary>
    public double TimeTolerance { get; init; } = 1e-10;

    /// <summary>
    /// Give up on samples whose event has not happened by this time (an <see cref="OdeSolverException"/>, or with
    /// <see cref="SolverOptions.ThrowOnFailure"/> off the status <see cref="OdeStatus.NoEvent"/> and a NaN event);
    /// by default only <see cref="SolverOptions.MaxSteps"/> bounds the search.
    /// </summary>
    public double MaxTime { get; init; } = double.PositiveInfinity;

    /// <summary>
    /// Differentiate the event state by the adjoint method (<see cref="Ode.SolveAdjoint(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, SolverOptions?)"/>, constant memory in the
    /// number of steps) instead of through the steps: the event is located without a graph, then one adjoint solve
    /// from <c>y0</c> to every sample's event time gives the state, at the price of a second forward solve.
    /// </summary>
    public bool Adjoint { get; init; }
}
