using System;
using TorchSharp;
using OdeDsl.Solvers.Dense;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl.Events;

/// <summary>
/// The user's event function <c>g(t, y)</c> as the event loop uses it: always called with a time per sample
/// (<c>[B]</c>) and read as <c>[B, K]</c> (K events); whether a sign change between two values counts
/// (<see cref="EventDirection"/>); and where in a step the first one happens.
/// </summary>
internal sealed class EventCondition
{
    private readonly Func<Tensor, Tensor, Tensor> function;
    private readonly EventDirection direction;
    private readonly string model;

    public EventCondition(Func<Tensor, Tensor, Tensor> function, EventDirection direction, string model)
    {
        this.function = function;
        this.direction = direction;
        this.model = model;
    }

    /// <summary>Calls so far.</summary>
    public long Evaluations { get; private set; }

    /// <summary>
    /// <c>[B, K]</c>: g at the per-sample times <paramref name="t"/> (<c>[B]</c>) and states <paramref name="y"/>; B is
    /// the rows of <paramref name="y"/>, fewer than the solve's batch when per-sample stepping let some leave.
    /// </summary>
    public Tensor Evaluate(Tensor t, Tensor y)
    {
        long batch = y.shape[0];
        Evaluations++;
        Tensor g = function(t, y);
        if (g is null || g.IsInvalid)
            throw new ArgumentException($"{model}: the event function returned no tensor.", "eventFunction");
        if (g.dim() == 1 && g.shape[0] == batch)
            return g.unsqueeze(1);
        if (g.dim() == 2 && g.shape[0] == batch && g.shape[1] >= 1)
            return g;
        throw new ArgumentException(
            $"{model}: the event function must return [B] (one event) or [B, K] (K events) for B = {batch} samples, but returned shape [{string.Join(", ", g.shape)}].",
            "eventFunction");
    }

    /// <summary>g at one time for the whole batch.</summary>
    public Tensor Evaluate(double t, Tensor y)
    {
        using Scalar value = t.ToScalar();   // rooted: an implicit Scalar could be freed mid-call
        using Tensor time = torch.full(new[] { y.shape[0] }, value, y.dtype, y.device);
        return Evaluate(time, y);
    }

    /// <summary><c>[B, K]</c> bool: which components changed sign, in the counted direction, from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public Tensor Crossed(Tensor before, Tensor after)
    {
        using var scope = torch.NewDisposeScope();
        Tensor rising = before.lt(0).logical_and(after.ge(0));
        Tensor falling = before.gt(0).logical_and(after.le(0));
        Tensor crossed = direction switch
        {
            EventDirection.Rising => rising,
            EventDirection.Falling => falling,
            _ => rising.logical_or(falling),
        };
        return crossed.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Bisection on the step's dense output <paramref name="polynomial"/> for the first crossing in each row: returns
    /// θ ∈ [0, 1] (<c>[B]</c>, float64) with the crossing within <paramref name="tolerance"/> of <c>t0 + θh</c>, and the
    /// component that fired (<c>[B]</c>, the first one crossing by then). Rows without a crossing get θ = 1.
    /// A fixed number of halvings (from |h| and the tolerance), so no host synchronisation.
    /// </summary>
    public (Tensor Theta, Tensor Component) Locate(Tensor polynomial, double t0, double h, Tensor gStart, double tolerance)
    {
        using var scope = torch.NewDisposeScope();
        long rows = polynomial.shape[1];
        using Scalar startValue = t0.ToScalar(), stepValue = h.ToScalar();
        Tensor start = torch.full(new[] { rows }, startValue, ScalarType.Float64, polynomial.device);
        Tensor step = torch.full(new[] { rows }, stepValue, ScalarType.Float64, polynomial.device);
        var (theta, component) = Locate(polynomial, start, step, Math.Abs(h), gStart, tolerance);
        return (theta.MoveToOuterDisposeScope(), component.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <see cref="Locate(Tensor, double, double, Tensor, double)"/> for a step per row: row b's step starts at
    /// <c>t0[b]</c> and is <c>h[b]</c> long (float64 <c>[B]</c>); <paramref name="longestStep"/> (the largest |h|, a host
    /// number) sets the number of halvings, so every row is located within the tolerance.
    /// </summary>
    public (Tensor Theta, Tensor Component) Locate(Tensor polynomial, Tensor t0, Tensor h, double longestStep, Tensor gStart, double tolerance)
    {
        using var scope = torch.NewDisposeScope();
        ScalarType dtype = polynomial.dtype;
        Device device = polynomial.device;
        long rows = polynomial.shape[1];
        int halvings = (int)Math.Clamp(Math.Ceiling(Math.Log2(longestStep / tolerance)), 1, 60);
        Tensor low = torch.zeros(new[] { rows }, ScalarType.Float64, device);
        Tensor high = torch.ones(new[] { rows }, ScalarType.Float64, device);
        for (int i = 0; i < halvings; i++)
        {
            Tensor middle = low.Plus(high).Times(0.5);
            Tensor crossedByMiddle = Crossed(gStart, GAt(polynomial, t0, h, middle, dtype)).any(1);
            high = torch.where(crossedByMiddle, middle, high);
            low = torch.where(crossedByMiddle, low, middle);
        }
        // The first component that has crossed by the bracket's end: a weight K − k on each crossed k, then argmax.
        Tensor crossed = Crossed(gStart, GAt(polynomial, t0, h, high, dtype)).to(ScalarType.Int64);
        long components = crossed.shape[1];
        Tensor component = crossed.mul(torch.arange(components, 0, -1, ScalarType.Int64, device)).argmax(1);
        Tensor theta = low.Plus(high).Times(0.5);
        return (theta.MoveToOuterDisposeScope(), component.MoveToOuterDisposeScope());
    }

    private Tensor GAt(Tensor polynomial, Tensor t0, Tensor h, Tensor theta, ScalarType dtype)
    {
        Tensor y = StepPolynomial.EvaluateRows(polynomial, theta.to(dtype));
        return Evaluate(theta.mul(h).Plus(t0).to(dtype), y);
    }
}
