using System;
using System.Linq;
using TorchSharp;
using OdeDsl.Flows;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// Continuous normalizing flows: the log-density of data under a flow and samples from it. The data live at t = 0 and
/// the standard normal base at t = T (<see cref="CnfOptions.EndTime"/>, FFJORD's convention). The log-density uses
/// the flow's generated exact divergence, or Hutchinson's estimate when <see cref="CnfOptions.Trace"/> asks for it.
/// </summary>
public static class Cnf
{
    /// <summary>
    /// log p(x) for each row of <paramref name="x"/> (<c>[B, D]</c> → <c>[B]</c>): integrates z from x and
    /// Δ = ∫ tr(∂f/∂z) dt from 0 over [0, T], then log p(x) = log N(z(T); 0, I) + Δ(T). Differentiable with respect to
    /// x and the flow's parameters, through the steps or by the adjoint method (<see cref="CnfOptions.Adjoint"/>). The
    /// trace is exact unless <see cref="CnfOptions.Trace"/> asks for Hutchinson's estimate.
    /// </summary>
    /// <param name="flow">A model declared with <c>flow</c> (it implements <see cref="IFlow"/>).</param>
    /// <param name="x">The data, <c>[B, D]</c>, in the flow's dtype and on its device.</param>
    /// <param name="options">End time, solver and gradient method; FFJORD's T = 1 and torchdiffeq's solver defaults when omitted.</param>
    /// <exception cref="ArgumentException">Not a flow, or <paramref name="x"/> of the wrong shape, dtype or device.</exception>
    /// <exception cref="OdeSolverException">The solve could not finish.</exception>
    public static Tensor LogProb(OdeModel flow, Tensor x, CnfOptions? options = null) => Evaluate(flow, x, options).LogProb;

    /// <summary>
    /// <see cref="LogProb(OdeModel, Tensor, CnfOptions?)"/> with everything the solve gives: the log-density, the
    /// RNODE regularisers asked for in <see cref="CnfOptions.Regularizers"/> (integrated alongside the state), and the
    /// solution with its cost (<see cref="OdeSolution.BackwardStats"/> once an adjoint backward ran).
    /// </summary>
    public static FlowDensity Evaluate(OdeModel flow, Tensor x, CnfOptions? options = null)
    {
        options ??= new CnfOptions();
        CheckFlow(flow, options);
        ArgumentNullException.ThrowIfNull(x);
        long width = flow.StateSize;
        if (x.dim() != 2 || x.shape[1] != width)
            throw new ArgumentException($"{Name(flow)} takes data of shape [B, {width}] ({flow.StateLayout}), but x has shape [{string.Join(", ", x.shape)}].", nameof(x));
        if (Reference(flow) is { } parameter && (parameter.dtype != x.dtype || parameter.device_type != x.device_type || parameter.device_index != x.device_index))
            throw new ArgumentException($"The parameters of {Name(flow)} are {parameter.dtype} on {parameter.device}, but x is {x.dtype} on {x.device}: convert one (e.g. flow.to(x.dtype)).", nameof(x));

        using var scope = torch.NewDisposeScope();
        // Hutchinson's noise: one vector per sample, fixed for the whole solve so that the estimate is of one trace.
        if (options.Trace != TraceEstimator.Exact && options.NoiseValues is { } given && !given.shape.SequenceEqual(x.shape))
            throw new ArgumentException($"CnfOptions.NoiseValues has shape [{string.Join(", ", given.shape)}]; Hutchinson's noise is shaped like x, [{string.Join(", ", x.shape)}].", nameof(options));
        Tensor? noise = options.Trace == TraceEstimator.Exact ? null : options.NoiseValues?.to(x.dtype, x.device) ?? options.Trace switch
        {
            TraceEstimator.HutchinsonRademacher => torch.randint(0, 2, x.shape, dtype: x.dtype, device: x.device, generator: options.Noise).mul_(2).sub_(1),
            TraceEstimator.HutchinsonGaussian => torch.randn(x.shape, dtype: x.dtype, device: x.device, generator: options.Noise),
            _ => null,
        };
        // The adjoint's backward solve evaluates the dynamics after this method returns: its noise must outlive the scope
        // (the garbage collector frees it with the dynamics, which own nothing else).
        if (options.Adjoint)
            noise?.DetachFromDisposeScope();
        // Not disposed: it owns nothing, and disposing a module disposes its parameters, which are the flow's. With the
        // exact trace and nothing else to carry, a flow with a generated adjoint gives the adjoint its products.
        LogDensityDynamics dynamics = noise is null && options.Regularizers == FlowRegularizers.None && flow is IHasFlowVjp
            ? new GeneratedLogDensityDynamics(flow)
            : new LogDensityDynamics(flow, noise, options.Regularizers);
        Tensor start = torch.cat(new[] { x, torch.zeros(x.shape[0], dynamics.Integrals, dtype: x.dtype, device: x.device) }, 1);
        Tensor ts = torch.tensor(new[] { 0.0, options.EndTime }, dtype: x.dtype, device: x.device);
        OdeSolution solution = options.Adjoint ? Ode.SolveAdjoint(dynamics, start, ts, options.Solver) : Ode.Solve(dynamics, start, ts, options.Solver);
        // The solution goes to the caller whole: its times and states too.
        ts.MoveToOuterDisposeScope();
        solution.Ys.MoveToOuterDisposeScope();
        Tensor end = solution.Ys[1];
        Tensor z = end.narrow(1, 0, width), change = end.select(1, width);
        Tensor logp = StandardNormalLogDensity(z).Plus(change).MoveToOuterDisposeScope();
        Tensor? Integral(int column) => column < 0 ? null : end.select(1, width + column).MoveToOuterDisposeScope();
        return new FlowDensity(logp, Integral(dynamics.KineticColumn), Integral(dynamics.FrobeniusColumn), solution);
    }

    /// <summary>
    /// <paramref name="n"/> samples of the flow's distribution, <c>[n, D]</c>: draws z(T) ~ N(0, I) from TorchSharp's
    /// global generator (seed it with <c>torch.manual_seed</c>) and integrates the flow back to t = 0. Differentiable
    /// with respect to the flow's parameters.
    /// </summary>
    public static Tensor Sample(OdeModel flow, long n, CnfOptions? options = null)
    {
        options ??= new CnfOptions();
        CheckFlow(flow, options);
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), n, "Ask for at least one sample.");
        Tensor? parameter = Reference(flow);
        ScalarType dtype = parameter?.dtype ?? torch.get_default_dtype();
        Device device = parameter?.device ?? torch.CPU;

        using var scope = torch.NewDisposeScope();
        Tensor z = torch.randn(n, flow.StateSize, dtype: dtype, device: device);
        Tensor ts = torch.tensor(new[] { options.EndTime, 0.0 }, dtype: dtype, device: device);
        OdeSolution solution = options.Adjoint ? Ode.SolveAdjoint(flow, z, ts, options.Solver) : Ode.Solve(flow, z, ts, options.Solver);
        return solution.Ys[1].MoveToOuterDisposeScope();
    }

    /// <summary>log N(z; 0, I) per row: −D/2·log(2π) − ½·|z|².</summary>
    private static Tensor StandardNormalLogDensity(Tensor z) =>
        z.square().sum(new long[] { 1 }).Times(-0.5).PlusNumber(-0.5 * z.shape[1] * Math.Log(2 * Math.PI));

    private static void CheckFlow(OdeModel flow, CnfOptions options)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(options.Solver);
        if (flow is not IFlow)
            throw new ArgumentException($"{Name(flow)} is not a flow: declare it with 'flow' instead of 'model' (a flow has one vector state and a generated exact divergence).", nameof(flow));
        if (!(options.EndTime > 0) || double.IsInfinity(options.EndTime))
            throw new ArgumentException($"CnfOptions.EndTime must be a positive finite time, not {options.EndTime}.", nameof(options));
    }

    /// <summary>A parameter of the flow, whose dtype and device the data must share (null for a flow without parameters).</summary>
    private static Tensor? Reference(OdeModel flow) => flow.parameters().FirstOrDefault();

    private static string Name(OdeModel flow) => $"'{flow.GetType().Name}'";
}
