using System;
using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using OdeDsl.Language.Tests.Ir;
using Xunit;

namespace OdeDsl.Language.Tests.Differentiation;

/// <summary>
/// The closed-form divergence against central finite differences of the forward kernel (float64, the IR
/// interpreter), on randomly generated flows: one or two hidden layers of random widths and activations, the time
/// concatenated first, last or not at all, with and without terms such as −0.1·z; and when the structure allows no
/// closed form, none is claimed.
/// </summary>
public sealed class ClosedFormTraceTests
{
    /// <summary>A flow of <paramref name="hidden"/> hidden layers; every choice drawn from <paramref name="seed"/>.</summary>
    private static string RandomFlow(int seed, int hidden) => OdeDsl.Tests.Shared.RandomFlows.Create(new Random(seed), hidden, "F");

    public static IEnumerable<object[]> Flows() =>
        Enumerable.Range(0, 12).Select(seed => new object[] { seed, 1 + seed % 2 });

    [Theory]
    [MemberData(nameof(Flows))]
    public void ClosedFormEqualsTheTraceByFiniteDifferences(int seed, int hidden)
    {
        string source = RandomFlow(seed, hidden);
        IrModel model = IrOptimizer.Optimize(IrTestModels.Lower(source));
        IrKernel? divergence = ClosedFormTrace.TryDerive(model);
        Assert.True(divergence is not null, "no closed form for:\n" + source);

        var random = new Random(seed + 100);
        var parameters = model.Parameters.Select(parameter => new Sample(
            Enumerable.Range(0, parameter.Shape.ElementCount).Select(_ => random.NextDouble() - 0.5).ToArray(), parameter.Shape.Dimensions.ToArray())).ToList();
        var interpreter = new IrInterpreter(model, parameters);
        double[] y = Enumerable.Range(0, model.StateSize).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        const double t = 0.4, step = 1e-6;

        double trace = interpreter.Run(divergence!, t, y)[(IrRole.Divergence, IrSymbol.State(0))].Data[0];
        double expected = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double[] up = (double[])y.Clone(), down = (double[])y.Clone();
            up[i] += step;
            down[i] -= step;
            expected += (F(interpreter, model, t, up)[i] - F(interpreter, model, t, down)[i]) / (2 * step);
        }
        Assert.True(Math.Abs(trace - expected) <= 1e-6 * (1 + Math.Abs(expected)), $"closed form {trace}, finite differences {expected}, for:\n{source}");
    }

    /// <summary>
    /// The flow's adjoint with the second-order terms written out: for L = aᵀf + ā·tr(∂f/∂z), the FlowVjp kernel's
    /// ∂L/∂z, ∂L/∂θ and ∂L/∂t against central finite differences of the FlowDynamics kernel.
    /// </summary>
    [Theory]
    [MemberData(nameof(Flows))]
    public void FlowVjpMatchesFiniteDifferencesOfDynamicsAndDivergence(int seed, int hidden)
    {
        string source = RandomFlow(seed, hidden);
        IrModel model = DerivedKernels.Add(IrOptimizer.Optimize(IrTestModels.Lower(source)));
        IrKernel dynamics = model.Kernel(IrKernelKind.FlowDynamics)!, vjp = model.Kernel(IrKernelKind.FlowVjp)!;

        var random = new Random(seed + 200);
        List<Sample> parameters = model.Parameters.Select(parameter => new Sample(
            Enumerable.Range(0, parameter.Shape.ElementCount).Select(_ => random.NextDouble() - 0.5).ToArray(), parameter.Shape.Dimensions.ToArray())).ToList();
        double[] y = Enumerable.Range(0, model.StateSize).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] a = Enumerable.Range(0, model.StateSize).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        const double t = 0.3, traceSeed = 0.7, step = 1e-6;
        double Loss(List<Sample> at, double time, double[] state)
        {
            var outputs = new IrInterpreter(model, at).Run(dynamics, time, state);
            double[] f = outputs[(IrRole.Derivative, IrSymbol.State(0))].Data;
            return a.Zip(f, (p, q) => p * q).Sum() + traceSeed * outputs[(IrRole.Divergence, IrSymbol.State(0))].Data[0];
        }
        var result = new IrInterpreter(model, parameters).Run(vjp, t, y, a, traceSeed);
        void Check(string what, double analytic, double difference) =>
            Assert.True(Math.Abs(analytic - difference) <= 1e-5 * (1 + Math.Abs(difference)), $"{what}: {analytic} vs finite differences {difference}\n{source}");

        for (int i = 0; i < y.Length; i++)
        {
            double[] up = (double[])y.Clone(), down = (double[])y.Clone();
            up[i] += step;
            down[i] -= step;
            Check($"∂L/∂z[{i}]", result[(IrRole.Adjoint, IrSymbol.State(0))].Data[i], (Loss(parameters, t, up) - Loss(parameters, t, down)) / (2 * step));
        }
        for (int p = 0; p < parameters.Count; p++)
        {
            double[] gradient = result.TryGetValue((IrRole.Adjoint, IrSymbol.Parameter(p)), out Sample? g) ? g.Data : new double[parameters[p].Data.Length];
            for (int i = 0; i < gradient.Length; i += 3)
            {
                List<Sample> up = parameters.Select(sample => sample with { Data = sample.Data.ToArray() }).ToList(), down = parameters.Select(sample => sample with { Data = sample.Data.ToArray() }).ToList();
                up[p].Data[i] += step;
                down[p].Data[i] -= step;
                Check($"∂L/∂{model.Parameters[p].Name}[{i}]", gradient[i], (Loss(up, t, y) - Loss(down, t, y)) / (2 * step));
            }
        }
        double time = result.TryGetValue((IrRole.Adjoint, IrSymbol.Time), out Sample? dt) ? dt.Data[0] : 0;
        Check("∂L/∂t", time, (Loss(parameters, t + step, y) - Loss(parameters, t - step, y)) / (2 * step));
    }

    [Theory]
    [InlineData("flow F { state z[2]; layer a = linear(2, 4); layer b = linear(4, 4); layer c = linear(4, 4); layer d = linear(4, 2); dz/dt = d(tanh(c(tanh(b(tanh(a(z))))))); }")]
    [InlineData("model M { state x, y; dx/dt = tanh(x * y); dy/dt = -x; }")]
    [InlineData("flow F { state z[2]; param A[2, 2] ~ glorot; dz/dt = A @ z; }")]
    [InlineData("flow F { state z[2]; layer a = linear(2, 3); layer b = linear(3, 2); dz/dt = b(tanh(a(z))) * z; }")]
    // sign's derivative is no term at all: not a hidden function whose slope the trace could take.
    [InlineData("flow F { state z[3]; layer a = linear(3, 8); layer b = linear(8, 3); dz/dt = b(sign(a(z))); }")]
    public void NoClosedFormIsClaimedWhereTheStructureHasNone(string source)
    {
        IrModel model = IrOptimizer.Optimize(IrTestModels.Lower(source));
        Assert.Null(ClosedFormTrace.TryDerive(model));
        Assert.NotEmpty(DerivedKernels.Add(model).Kernels);   // the other kernels still derive
    }

    [Fact]
    public void TheCostModelPrefersTheClosedFormForAFlowLikeP4()
    {
        // D = 32, H = 128, two hidden layers, time first: one [H, H] product per sample against 32 directions.
        const string source = "flow P4 { state z[32]; layer c0 = linear(33, 128); layer c1 = linear(129, 128); layer c2 = linear(129, 32);"
            + " let h1 = tanh(c0([t; z])); let h2 = tanh(c1([t; h1])); dz/dt = c2([t; h2]); }";
        ClosedFormTrace.Plan plan = ClosedFormTrace.PlanFor(IrOptimizer.Optimize(IrTestModels.Lower(source)))!;

        Assert.Equal(2, plan.HiddenLayers);
        Assert.True(plan.ForwardModeCost > 20 * plan.ClosedFormCost, $"{plan.ClosedFormCost} against {plan.ForwardModeCost}");
    }

    private static double[] F(IrInterpreter interpreter, IrModel model, double t, double[] y) =>
        interpreter.Run(model.Forward, t, y)[(IrRole.Derivative, IrSymbol.State(0))].Data;
}
