using System;
using OdeDsl.Runtime.Tests.Systems;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>Every malformed argument is an ArgumentException naming the argument, before any evaluation.</summary>
public class BadInputTests
{
    private static readonly Tensor Y0 = tensor(new[] { 1.0, 2.0 }, new long[] { 1, 2 });
    private static readonly Tensor Ts = tensor(new[] { 0.0, 1.0 });

    private static ArgumentException Rejects(Tensor y0, Tensor ts, SolverOptions? options, string parameter, string messagePart)
    {
        var counter = new CountingDecay();
        var e = Assert.ThrowsAny<ArgumentException>(() => Ode.Solve(counter, y0, ts, options));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(messagePart, e.Message);
        Assert.Equal(0, counter.Calls);
        return e;
    }

    [Fact]
    public void TimesThatAreNotOneDimensional() =>
        Rejects(Y0, tensor(new[] { 0.0, 1.0 }, new long[] { 2, 1 }), null, "ts", "1-D tensor of times, but has shape [2, 1]");

    [Fact]
    public void TimesThatAreNotStrictlyMonotone() =>
        Rejects(Y0, tensor(new[] { 0.0, 1.0, 1.0, 2.0 }), null, "ts", "strictly increasing or strictly decreasing, but ts[2] = 1 follows ts[1] = 1");

    [Fact]
    public void TimesThatChangeDirection() =>
        Rejects(Y0, tensor(new[] { 0.0, 1.0, 0.5 }), null, "ts", "ts[2] = 0.5 follows ts[1] = 1");

    [Fact]
    public void TimesThatAreNotFinite() =>
        Rejects(Y0, tensor(new[] { 0.0, double.NaN }), null, "ts", "finite");

    [Fact]
    public void StateThatIsNotABatch() =>
        Rejects(tensor(new[] { 1.0, 2.0 }), Ts, null, "y0", "[B, D] tensor (a batch of B states with D columns), but has shape [2]");

    [Fact]
    public void StateWithNonFiniteValues() =>
        Rejects(tensor(new[] { 1.0, double.PositiveInfinity }, new long[] { 1, 2 }), Ts, null, "y0", "NaN or infinite");

    [Fact]
    public void StateThatIsNotFloatingPoint() =>
        Rejects(tensor(new long[] { 1, 2 }, new long[] { 1, 2 }), Ts, null, "y0", "floating-point dtype");

    [Fact]
    public void DtypeMismatchBetweenStateAndTimes() =>
        Rejects(Y0, tensor(new[] { 0.0f, 1.0f }), null, "ts", "ts has dtype Float32 but y0 has Float64");

    [Theory]
    [InlineData(0.0, 1e-9, "RelTol must be a finite number > 0, but is 0")]
    [InlineData(1e-7, -1e-9, "AbsTol must be a finite number > 0, but is -1E-09")]
    [InlineData(double.NaN, 1e-9, "RelTol must be a finite number > 0, but is NaN")]
    public void NonPositiveTolerances(double rtol, double atol, string message) =>
        Rejects(Y0, Ts, new SolverOptions { RelTol = rtol, AbsTol = atol }, "options", message);

    [Theory]
    [InlineData(OdeMethod.Euler)]
    [InlineData(OdeMethod.Midpoint)]
    [InlineData(OdeMethod.Rk4)]
    public void FixedStepMethodWithoutAStepSize(OdeMethod method) =>
        Rejects(Y0, Ts, new SolverOptions { Method = method }, "options", $"{method} is a fixed-step method: set SolverOptions.StepSize");

    [Fact]
    public void NegativeStepSize() =>
        Rejects(Y0, Ts, new SolverOptions { Method = OdeMethod.Rk4, StepSize = -0.1 }, "options", "StepSize must be a finite number > 0");

    [Fact]
    public void StepSizeForAnAdaptiveMethod() =>
        Rejects(Y0, Ts, new SolverOptions { StepSize = 0.1 }, "options", "StepSize applies to fixed-step methods");

    [Fact]
    public void MaxStepBelowMinStep() =>
        Rejects(Y0, Ts, new SolverOptions { MinStep = 0.5, MaxStep = 0.1 }, "options", "MaxStep must be > 0 and ≥ MinStep");

    [Fact]
    public void NothingIsWrittenToTheCallersTensors()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new[] { 1.0, 2.0, 3.0, 4.0 }, new long[] { 2, 2 });
        var ts = tensor(new[] { 0.0, 0.5, 1.0 });
        var y0Before = y0.clone();
        var tsBefore = ts.clone();
        var solution = Ode.Solve(new CountingDecay(), y0, ts);
        solution.Ys.add_(1.0);
        Assert.True(y0.equal(y0Before).all().item<bool>());
        Assert.True(ts.equal(tsBefore).all().item<bool>());
        Assert.False(y0.IsInvalid);
    }

    private sealed class CountingDecay : TorchSharp.torch.nn.Module<Tensor, Tensor, Tensor>
    {
        public CountingDecay() : base(nameof(CountingDecay))
        {
        }

        public int Calls { get; private set; }

        public override Tensor forward(Tensor t, Tensor y)
        {
            Calls++;
            return -y;
        }
    }
}

/// <summary>Failures during a solve name the dynamics, the time reached and the step.</summary>
public class SolverFailureTests
{
    [Fact]
    public void NonFiniteDynamicsStopTheSolveAndSayWhere()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() =>
            Ode.Solve(new BlowsUpAfter(0.5), ones(1, 2, ScalarType.Float64), tensor(new[] { 0.0, 1.0 })));
        Assert.Equal(OdeFailure.NonFiniteState, e.Failure);
        Assert.Equal(nameof(BlowsUpAfter), e.Model);
        Assert.InRange(e.Time, 0.3, 0.5);
        Assert.Contains("NaN or infinity", e.Message);
        Assert.True(e.Step > 1);
        Assert.StartsWith($"BlowsUpAfter: non-finite state (NaN or infinity) at t = ", e.Message);
        Assert.Contains($"(step {e.Step})", e.Message);
    }

    [Fact]
    public void NonFiniteStateInAFixedStepSolve()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve(new BlowsUpAfter(0.5), ones(1, 2, ScalarType.Float64),
            tensor(new[] { 0.0, 0.25, 0.75, 1.0 }), new SolverOptions { Method = OdeMethod.Rk4, StepSize = 0.05 }));
        Assert.Equal(OdeFailure.NonFiniteState, e.Failure);
        Assert.Equal(0.75, e.Time);
    }

    [Fact]
    public void FiniteTimeBlowUpIsAStepSizeUnderflow()
    {
        // y' = y², y(0) = 1 has the solution 1 / (1 − t), which blows up at t = 1.
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() =>
            Ode.Solve((t, y) => y * y, ones(1, 1, ScalarType.Float64), tensor(new[] { 0.0, 2.0 })));
        Assert.True(e.Failure is OdeFailure.StepSizeUnderflow or OdeFailure.NonFiniteState, e.Message);
        Assert.InRange(e.Time, 0.99, 1.001);
    }

    [Fact]
    public void MaxStepsExceededOnAStiffProblem()
    {
        // Peer problem P5: Van der Pol with μ = 1000 is stiff; dopri5 capped at 3000 steps stops near t ≈ 2.66
        // after 2 + 6·3000 = 18002 evaluations in torchdiffeq.
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve(new VanDerPol(1000), tensor(new[] { 2.0, 0.0 }, new long[] { 1, 2 }),
            tensor(new[] { 0.0, 3000.0 }), new SolverOptions { RelTol = 1e-6, AbsTol = 1e-6, MaxSteps = 3000 }));
        Assert.Equal(OdeFailure.MaxStepsExceeded, e.Failure);
        Assert.Equal(nameof(VanDerPol), e.Model);
        Assert.Equal(3001, e.Step);
        Assert.InRange(e.Time, 2.0, 3.5);
        Assert.Contains("MaxSteps = 3000", e.Message);
    }

    [Fact]
    public void MinStepThatIsTooLarge()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<OdeSolverException>(() => Ode.Solve(new VanDerPol(1000), tensor(new[] { 2.0, 0.0 }, new long[] { 1, 2 }),
            tensor(new[] { 0.0, 3000.0 }), new SolverOptions { RelTol = 1e-6, AbsTol = 1e-6, MinStep = 0.5 }));
        Assert.Equal(OdeFailure.StepSizeUnderflow, e.Failure);
        Assert.Contains("MinStep = 0.5", e.Message);
    }
}
