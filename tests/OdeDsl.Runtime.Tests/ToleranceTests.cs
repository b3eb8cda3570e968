using System;
using OdeDsl.Runtime.Tests.Systems;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Per-state tolerances. The exact check is a change of units: scaling a state column (or a sample) by a power of two
/// and its tolerance by the same factor leaves every error ratio bit-for-bit unchanged, so the solve must take the
/// same steps and return the scaled trajectory — while the same scaled system with one scalar tolerance does not.
/// </summary>
public class ToleranceTests
{
    private const double Scale = 1024;

    [Fact]
    public void ATensorOfEqualTolerancesIsTheNumber()
    {
        using var scope = NewDisposeScope();
        var scalar = SolveSpiral(Spiral(), new SolverOptions { RelTol = 1e-7, AbsTol = 1e-9 });
        var perState = SolveSpiral(Spiral(), new SolverOptions
        {
            RelTol = tensor(new[] { 1e-7, 1e-7 }),
            AbsTol = tensor(new[] { 1e-9, 1e-9 }, new long[] { 1, 2 }),
        });

        Assert.Equal(scalar.Stats, perState.Stats);
        Assert.True(scalar.Ys.equal(perState.Ys).all().item<bool>());
    }

    [Fact]
    public void APerColumnAbsoluteToleranceFollowsAChangeOfUnits()
    {
        // rtol negligible, so the absolute tolerance decides the steps.
        using var scope = NewDisposeScope();
        var columns = tensor(new[] { 1.0, Scale }, new long[] { 1, 2 });
        var reference = SolveSpiral(Spiral(), new SolverOptions { RelTol = 1e-13, AbsTol = 1e-9 });
        var rescaled = SolveSpiral(Rescaled(columns), new SolverOptions { RelTol = 1e-13, AbsTol = tensor(new[] { 1e-9, Scale * 1e-9 }) }, columns);
        var oneTolerance = SolveSpiral(Rescaled(columns), new SolverOptions { RelTol = 1e-13, AbsTol = 1e-9 }, columns);

        Assert.Equal(reference.Stats, rescaled.Stats);
        Assert.True(rescaled.Ys.equal(reference.Ys * columns).all().item<bool>());
        // With one tolerance the large column's error counts 1024× more: many more steps.
        Assert.True(oneTolerance.Stats.FunctionEvaluations > 2 * reference.Stats.FunctionEvaluations, oneTolerance.Stats.ToString());
    }

    [Fact]
    public void APerElementToleranceFollowsAChangeOfUnitsPerSample()
    {
        using var scope = NewDisposeScope();
        var rows = tensor(new[] { 1.0, Scale }, new long[] { 2, 1 });
        var y0 = tensor(new[] { 2.0, 0.0, 1.5, 0.5 }, new long[] { 2, 2 });
        var ts = linspace(0, 10, 50, ScalarType.Float64);
        var reference = Ode.Solve(Spiral(), y0, ts, new SolverOptions { RelTol = 1e-7, AbsTol = 1e-9, Method = OdeMethod.Tsit5 });
        var rescaled = Ode.Solve(Rescaled(rows), y0 * rows, ts, new SolverOptions
        {
            Method = OdeMethod.Tsit5,
            RelTol = 1e-7,
            AbsTol = full(2, 2, 1e-9, ScalarType.Float64) * rows,
        });

        Assert.Equal(reference.Stats, rescaled.Stats);
        Assert.True(rescaled.Ys.equal(reference.Ys * rows).all().item<bool>());
    }

    [Fact]
    public void AToleranceInAnotherDtypeIsUsedInTheStatesDtype()
    {
        using var scope = NewDisposeScope();
        var y0 = tensor(new[] { 2.0f, 0.0f }, new long[] { 1, 2 });
        var ts = linspace(0, 5, 20, ScalarType.Float32);
        using var model = new SpiralTrue(ScalarType.Float32);
        var scalar = Ode.Solve(model, y0, ts, new SolverOptions { RelTol = 1e-5, AbsTol = 1e-7 });
        var perState = Ode.Solve(model, y0, ts, new SolverOptions { RelTol = tensor(new[] { 1e-5, 1e-5 }), AbsTol = 1e-7 });

        Assert.Equal(scalar.Stats, perState.Stats);
        Assert.Equal(ScalarType.Float32, perState.Ys.dtype);
    }

    [Fact]
    public void APerStateToleranceLeavesOnlyTheTrajectory()
    {
        var y0 = tensor(new[] { 2.0, 0.0 }, new long[] { 1, 2 });
        var ts = linspace(0, 10, 100, ScalarType.Float64);
        var rtol = tensor(new[] { 1e-8, 1e-6 });
        var atol = tensor(new[] { 1e-10, 1e-8 });
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var solution = Ode.Solve(new VanDerPol(1.0), y0, ts, new SolverOptions { RelTol = rtol, AbsTol = atol });

        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        solution.Dispose();
        Assert.False(rtol.IsInvalid);
    }

    [Theory]
    [InlineData(new long[] { 3 }, "RelTol must be a number, a [D] tensor (one tolerance per state column) or a [B, D] tensor (one per element) for y0 of shape [1, 2], but has shape [3]")]
    [InlineData(new long[] { 2, 2 }, "but has shape [2, 2]")]
    [InlineData(new long[] { 1, 1, 2 }, "but has shape [1, 1, 2]")]
    public void ATensorToleranceThatDoesNotFitTheState(long[] shape, string message) =>
        Rejects(new SolverOptions { RelTol = full(shape, 1e-7, ScalarType.Float64) }, message);

    [Theory]
    [InlineData(-1e-9)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ATensorToleranceWithAValueThatIsNotPositiveAndFinite(double bad) =>
        Rejects(new SolverOptions { AbsTol = tensor(new[] { 1e-9, bad }) }, "AbsTol must contain only finite numbers > 0.");

    [Fact]
    public void ATensorToleranceThatIsNotFloatingPoint() =>
        Rejects(new SolverOptions { AbsTol = tensor(new long[] { 1, 1 }) }, "AbsTol must have a floating-point dtype, but is Int64.");

    [Fact]
    public void ADisposedTensorTolerance()
    {
        var disposed = tensor(new[] { 1e-7, 1e-7 });
        disposed.Dispose();
        Rejects(new SolverOptions { RelTol = disposed }, "RelTol is a disposed tensor.");
    }

    [Fact]
    public void ToleranceDescribesItself()
    {
        Assert.Equal("1E-07", ((Tolerance)1e-7).ToString());
        using var values = zeros(4, 3);
        Assert.Equal("tensor [4, 3]", ((Tolerance)values).ToString());
    }

    private static void Rejects(SolverOptions options, string message, int batch = 1)
    {
        int calls = 0;
        var e = Assert.ThrowsAny<ArgumentException>(() => Ode.Solve((t, y) =>
        {
            calls++;
            return -y;
        }, ones(batch, 2, ScalarType.Float64), tensor(new[] { 0.0, 1.0 }), options));
        Assert.Equal("options", e.ParamName);
        Assert.Contains(message, e.Message);
        Assert.Equal(0, calls);
    }

    private static OdeSolution SolveSpiral(nn.Module<Tensor, Tensor, Tensor> model, SolverOptions options, Tensor? units = null)
    {
        var y0 = tensor(new[] { 2.0, 0.0 }, new long[] { 1, 2 });
        return Ode.Solve(model, units is null ? y0 : y0 * units, linspace(0, 25, 200, ScalarType.Float64), options);
    }

    private static SpiralTrue Spiral() => new(ScalarType.Float64);

    /// <summary>The spiral in other units, <c>u = y ∘ units</c>: u' = f(u / units) ∘ units, exact for powers of two.</summary>
    private static nn.Module<Tensor, Tensor, Tensor> Rescaled(Tensor units)
    {
        var spiral = Spiral();
        return new Lambda((t, u) => spiral.forward(t, u / units) * units);
    }

    private sealed class Lambda(Func<Tensor, Tensor, Tensor> function) : nn.Module<Tensor, Tensor, Tensor>(nameof(Lambda))
    {
        public override Tensor forward(Tensor t, Tensor y) => function(t, y);
    }
}
