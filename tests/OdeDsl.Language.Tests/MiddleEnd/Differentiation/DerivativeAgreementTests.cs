using System;
using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using Xunit;

namespace OdeDsl.Language.Tests.Ir;

/// <summary>
/// The derived kernels against truth from outside the derivative rules, evaluated by <see cref="IrInterpreter"/> in
/// float64: the Jvp kernel against central finite differences of the forward kernel, the Vjp kernel against the Jvp
/// kernel by the transpose identity aᵀ(J v) = (Jᵀa)ᵀ v, and the Vjp's parameter and time adjoints against finite
/// differences. Every operation of the IR appears in at least one model, so each forward rule and each transpose is
/// held to the other and to the function itself.
/// </summary>
public sealed class DerivativeAgreementTests
{
    private const double Epsilon = 1e-6;

    public static IEnumerable<object[]> Models()
    {
        foreach (string name in new[] { "lorenz", "vanderpol", "robertson", "spiral", "mlp_time", "cnf2d", "damped_pendulum" })
            yield return new object[] { name, IrTestModels.SpecModelText(name + ".ode") };
        yield return new object[] { "elementwise", """
            model Elementwise { state x, u;
              param k = 0.7; const c = 1.5;
              dx/dt = exp(x) * sin(u) - cos(x) / (2 + tan(0.3 * u)) + sigmoid(x) * softplus(u) + elu(x) + relu(u) + abs(x)
                      + log(1 + x^2) + sqrt(1 + u^2) + x^3 + (1 + x^2)^k + (1 + k^2)^u - x / c;
              du/dt = min(x, u) + max(x, u) + min(u, c) + max(x, -0.5) + softplus(30 + x) + elu(-2 - u^2) - (-x) + t * x;
            }
            """ };
        yield return new object[] { "functions", """
            model Functions { state x, u, v[2];
              param k = 0.7; param w[2] ~ normal(0.0, 1.0); const c = 0.4;
              let a = 0.5 * tanh(u);
              dx/dt = sinh(x) * cosh(u) + asinh(3 * x) - atanh(a) + atan(x * u) + exp2(u) * log1p(x^2) + expm1(0.5 * x)
                      + erf(x - u) + gelu(2 * u) - silu(x) + sign(u) * x + square(u) + cube(x) * k + pow(1 + x^2, u) + pow(u, 2)
                      + clamp(x, -0.5, c) + clamp(u, x, 1.0) + sinh(c) + gelu(c) * erf(k) + log1p(c) * x + silu(k) * expm1(c) * u;
              du/dt = clamp(x, u - 1, u + 1) + gelu(-x * u) + silu(3 * u) + atanh(0.3 * sin(x)) + cosh(k * u) + exp2(c) * sign(x - 10);
              dv/dt = gelu(v) * silu(w) + clamp(v, -1.0, w) + erf(v * x) + atan(w * v) + log1p(square(v)) + pow(1 + w^2, v) + square(v) * cube(x);
            }
            """ };
        yield return new object[] { "reductions", """
            model Reductions { state v[3], s;
              param w[3] ~ normal(0.0, 1.0); param M[3, 3] ~ normal(0.0, 0.5);
              let n = norm(v);
              dv/dt = tanh(M @ v) * w + v / n + [sum(v); mean(v * v); dot(v, w)] * s + v[1] * w + (v @ M) * s;
              ds/dt = norm(s) + sum(v[0:2] * w[1:3]) + dot(v, M @ v) + mean(w * v) * t;
            }
            """ };
        yield return new object[] { "matrices", """
            model Matrices { state m[2, 2], y[2];
              param A[2, 2] ~ normal(0.0, 1.0); param B[2, 3] ~ normal(0.0, 1.0); param C[3, 2] ~ normal(0.0, 1.0);
              dm/dt = A @ m - m @ A + sin(m) * m[0][1] + norm(m) * A;
              dy/dt = m @ y + (B @ C) @ y + m[1] * y[0] + y @ m;
            }
            """ };
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void JvpMatchesFiniteDifferencesOfForward(string name, string source)
    {
        var (model, interpreter, y, v, _) = Setup(source, seed: name.Length);
        IrKernel jvp = DerivedKernels.Derive(model, IrKernelKind.Jvp);

        double[] jv = Packed(model, interpreter.Run(jvp, Time, y, v), IrRole.Tangent);
        double[] plus = Dynamics(model, interpreter, Time, Shifted(y, v, Epsilon));
        double[] minus = Dynamics(model, interpreter, Time, Shifted(y, v, -Epsilon));
        for (int i = 0; i < jv.Length; i++)
        {
            double difference = (plus[i] - minus[i]) / (2 * Epsilon);
            Assert.True(Math.Abs(jv[i] - difference) <= 1e-6 * (1 + Math.Abs(difference)), $"{name}: (J v)[{i}] = {jv[i]}, finite differences {difference}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void VjpIsTheTransposeOfJvp(string name, string source)
    {
        var (model, interpreter, y, v, a) = Setup(source, seed: name.Length + 1);
        IrKernel jvp = DerivedKernels.Derive(model, IrKernelKind.Jvp), vjp = DerivedKernels.Derive(model, IrKernelKind.Vjp);

        double[] jv = Packed(model, interpreter.Run(jvp, Time, y, v), IrRole.Tangent);
        double[] jTa = Packed(model, interpreter.Run(vjp, Time, y, a), IrRole.Adjoint);
        double left = a.Zip(jv, (p, q) => p * q).Sum(), right = jTa.Zip(v, (p, q) => p * q).Sum();
        Assert.True(Math.Abs(left - right) <= 1e-10 * (1 + Math.Abs(left)), $"{name}: aᵀ(Jv) = {left}, (Jᵀa)ᵀv = {right}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void VjpParameterAndTimeAdjointsMatchFiniteDifferences(string name, string source)
    {
        var (model, interpreter, y, _, a) = Setup(source, seed: name.Length + 2);
        IrKernel vjp = DerivedKernels.Derive(model, IrKernelKind.Vjp);
        Dictionary<(IrRole, IrSymbol), Sample> outputs = interpreter.Run(vjp, Time, y, a);
        double Loss(IrInterpreter at, double t) => a.Zip(Dynamics(model, at, t, y), (p, q) => p * q).Sum();

        IReadOnlyList<Sample> parameters = Parameters(model, name.Length + 2);
        for (int p = 0; p < model.Parameters.Count; p++)
        {
            double[] gradient = outputs.TryGetValue((IrRole.Adjoint, IrSymbol.Parameter(p)), out Sample? g) ? g.Data : new double[parameters[p].Data.Length];
            for (int i = 0; i < gradient.Length; i++)
            {
                double difference = (Loss(Perturbed(model, parameters, p, i, Epsilon), Time) - Loss(Perturbed(model, parameters, p, i, -Epsilon), Time)) / (2 * Epsilon);
                Assert.True(Math.Abs(gradient[i] - difference) <= 1e-6 * (1 + Math.Abs(difference)), $"{name}: ∂{model.Parameters[p].Name}[{i}] = {gradient[i]}, finite differences {difference}");
            }
        }
        double time = outputs.TryGetValue((IrRole.Adjoint, IrSymbol.Time), out Sample? dt) ? dt.Data[0] : 0.0;
        double timeDifference = (Loss(interpreter, Time + Epsilon) - Loss(interpreter, Time - Epsilon)) / (2 * Epsilon);
        Assert.True(Math.Abs(time - timeDifference) <= 1e-6 * (1 + Math.Abs(timeDifference)), $"{name}: ∂t = {time}, finite differences {timeDifference}");
        Assert.Equal(Dynamics(model, interpreter, Time, y), Packed(model, outputs, IrRole.Derivative));
    }

    private const double Time = 0.7;

    private static (IrModel Model, IrInterpreter Interpreter, double[] Y, double[] V, double[] A) Setup(string source, int seed)
    {
        IrModel model = IrOptimizer.Optimize(IrTestModels.Lower(source));
        var random = new Random(seed);
        double[] Draw() => Enumerable.Range(0, model.StateSize).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return (model, new IrInterpreter(model, Parameters(model, seed)), Draw(), Draw(), Draw());
    }

    /// <summary>Random parameter values (the same for a seed), away from zero so no model sits at a kink.</summary>
    private static IReadOnlyList<Sample> Parameters(IrModel model, int seed)
    {
        var random = new Random(seed * 7919);
        return model.Parameters.Select(parameter => new Sample(
            Enumerable.Range(0, parameter.Shape.ElementCount).Select(_ => (0.3 + random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1) / Math.Sqrt(parameter.Shape.ElementCount)).ToArray(),
            parameter.Shape.Dimensions.ToArray())).ToList();
    }

    private static IrInterpreter Perturbed(IrModel model, IReadOnlyList<Sample> parameters, int parameter, int element, double step)
    {
        var copy = parameters.Select(sample => sample with { Data = sample.Data.ToArray() }).ToList();
        copy[parameter].Data[element] += step;
        return new IrInterpreter(model, copy);
    }

    private static double[] Dynamics(IrModel model, IrInterpreter interpreter, double t, double[] y) =>
        Packed(model, interpreter.Run(model.Forward, t, y), IrRole.Derivative);

    /// <summary>One output per state in the given role, packed like the state (zeros where the kernel has none).</summary>
    private static double[] Packed(IrModel model, Dictionary<(IrRole, IrSymbol), Sample> outputs, IrRole role)
    {
        var packed = new double[model.StateSize];
        for (int i = 0; i < model.States.Count; i++)
        {
            if (!outputs.TryGetValue((role, IrSymbol.State(i)), out Sample? value))
                continue;
            IrState state = model.States[i];
            for (int k = 0; k < state.Shape.ElementCount; k++)
                packed[state.Offset + k] = value.IsScalar ? value.Data[0] : value.Data[k];
        }
        return packed;
    }

    private static double[] Shifted(double[] y, double[] v, double step) => y.Zip(v, (p, q) => p + step * q).ToArray();
}
