using System;
using System.Globalization;
using System.Linq;
using TorchSharp;
using OdeDsl.Solvers;
using static TorchSharp.torch;

namespace OdeDsl.Validation;

/// <summary>
/// Checks everything about a solve that can be checked before any work, so that a bad argument is an
/// <see cref="ArgumentException"/> naming the argument and what was expected, not a failure deep in a step.
/// </summary>
internal static class SolveArguments
{
    /// <summary>Validates and returns the requested times as host doubles (the one read of <paramref name="ts"/>).</summary>
    public static double[] Check(nn.Module<Tensor, Tensor, Tensor> dynamics, Tensor y0, Tensor ts, SolverOptions options, IStepper stepper)
    {
        ArgumentNullException.ThrowIfNull(dynamics);
        ArgumentNullException.ThrowIfNull(y0);
        ArgumentNullException.ThrowIfNull(ts);
        ArgumentNullException.ThrowIfNull(options);

        if (y0.dim() == 2 && y0.shape[0] == 0)
            throw new ArgumentException($"y0 has no rows (shape [{Shape(y0)}]): a batch needs at least one state to solve.", nameof(y0));
        if (y0.dim() != 2 || y0.shape[1] < 1)
            throw new ArgumentException($"y0 must be a [B, D] tensor (a batch of B states with D columns), but has shape [{Shape(y0)}].", nameof(y0));
        if (!y0.is_floating_point())
            throw new ArgumentException($"y0 must have a floating-point dtype, but is {y0.dtype}.", nameof(y0));
        CheckParametersFollow(dynamics, y0);
        if (dynamics is OdeModel model && model.StateSize != y0.shape[1])
            throw new ArgumentException(
                $"y0 has {y0.shape[1]} columns, but {model.GetType().Name} has {model.StateSize} ({model.StateLayout}).", nameof(y0));

        if (ts.dim() != 1 || ts.shape[0] < 1)
            throw new ArgumentException($"ts must be a non-empty 1-D tensor of times, but has shape [{Shape(ts)}].", nameof(ts));
        if (ts.dtype != y0.dtype)
            throw new ArgumentException($"ts has dtype {ts.dtype} but y0 has {y0.dtype}; create ts in y0's dtype.", nameof(ts));
        if (ts.device.ToString() != y0.device.ToString())
            throw new ArgumentException($"ts is on {ts.device} but y0 is on {y0.device}; move them to the same device.", nameof(ts));

        CheckOptions(options, stepper, y0);

        double[] times;
        using (torch.NewDisposeScope())
        using (torch.no_grad())
            times = ts.detach().to(ScalarType.Float64, torch.CPU).data<double>().ToArray();
        if (times.Any(t => !double.IsFinite(t)))
            throw new ArgumentException("ts must contain only finite times.", nameof(ts));
        if (times.Length > 1)
        {
            double direction = Math.Sign(times[1] - times[0]);
            for (int i = 1; i < times.Length; i++)
            {
                if (direction == 0 || Math.Sign(times[i] - times[i - 1]) != direction)
                    throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                        "ts must be strictly increasing or strictly decreasing, but ts[{0}] = {1:G9} follows ts[{2}] = {3:G9}.",
                        i, times[i], i - 1, times[i - 1]), nameof(ts));
            }
        }

        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            if (!torch.isfinite(y0).all().item<bool>())
                throw new ArgumentException("y0 contains NaN or infinite values.", nameof(y0));
        }
        return times;
    }

    /// <summary>
    /// The adjoint's own checks, and the options of its backward solve: the forward's with the adjoint tolerances
    /// (numbers or per-state tensors, each the forward's when not set), always with shared steps: with
    /// <see cref="SolverOptions.PerSampleSteps"/> the backward solve still hands the dynamics per-sample times, but
    /// steps the batch together (see <c>AdjointBackward</c> for why).
    /// </summary>
    public static SolverOptions CheckAdjoint(SolverOptions options, Tensor y0)
    {
        AdjointOptions adjoint = options.Adjoint ?? throw new ArgumentNullException(nameof(options), "SolverOptions.Adjoint must not be null.");
        Tolerance relTol = adjoint.RelTol ?? options.RelTol;
        Tolerance absTol = adjoint.AbsTol ?? options.AbsTol;
        CheckTolerance(relTol, "Adjoint.RelTol", y0);
        CheckTolerance(absTol, "Adjoint.AbsTol", y0);
        return options with { RelTol = relTol, AbsTol = absTol, PerSampleSteps = false };
    }

    /// <summary>
    /// Every parameter and buffer of the dynamics in y0's dtype and on its device: otherwise a scalar model computes
    /// silently with rounded parameters and a layered one dies in libtorch with a raw message.
    /// </summary>
    private static void CheckParametersFollow(nn.Module<Tensor, Tensor, Tensor> dynamics, Tensor y0)
    {
        string model = Dynamics.NameOf(dynamics);
        string device = y0.device.ToString();
        foreach (var (name, parameter) in dynamics.named_parameters())
        {
            if (parameter.dtype != y0.dtype)
                throw new ArgumentException(
                    $"{model}'s parameter '{name}' is {parameter.dtype} but y0 is {y0.dtype}: convert the model with model.to(ScalarType.{y0.dtype}) (generated models can also be created in a dtype), or create y0 as {parameter.dtype}.",
                    nameof(y0));
            if (parameter.device.ToString() != device)
                throw new ArgumentException(
                    $"{model}'s parameter '{name}' is on {parameter.device} but y0 is on {y0.device}: move the model with model.to(y0.device), or y0 to the model's device.",
                    nameof(y0));
        }
    }

    private static void CheckOptions(SolverOptions options, IStepper stepper, Tensor y0)
    {
        if (stepper.IsAdaptive)
        {
            CheckTolerance(options.RelTol, nameof(SolverOptions.RelTol), y0);
            CheckTolerance(options.AbsTol, nameof(SolverOptions.AbsTol), y0);
            if (options.StepSize is not null)
                throw new ArgumentException($"StepSize applies to fixed-step methods; {options.Method} chooses its own steps (set FirstStep to choose the first).", nameof(options));
            if (options.FirstStep is { } first)
                Positive(first, nameof(SolverOptions.FirstStep));
            if (!(options.MinStep >= 0) || double.IsPositiveInfinity(options.MinStep))
                throw new ArgumentException($"MinStep must be a finite number ≥ 0, but is {options.MinStep}.", nameof(options));
            if (!(options.MaxStep > 0) || options.MaxStep < options.MinStep)
                throw new ArgumentException($"MaxStep must be > 0 and ≥ MinStep, but is {options.MaxStep}.", nameof(options));
            if (!(options.Safety > 0 && options.Safety <= 1))
                throw new ArgumentException($"Safety must be in (0, 1], but is {options.Safety}.", nameof(options));
            if (!(options.MinFactor > 0 && options.MinFactor < 1 && options.MaxFactor > 1 && double.IsFinite(options.MaxFactor)))
                throw new ArgumentException($"MinFactor must be in (0, 1) and MaxFactor a finite number > 1, but they are {options.MinFactor} and {options.MaxFactor}.", nameof(options));
        }
        else
        {
            if (options.StepSize is not { } step)
                throw new ArgumentException($"{options.Method} is a fixed-step method: set SolverOptions.StepSize.", nameof(options));
            Positive(step, nameof(SolverOptions.StepSize));
        }
        if (options.MaxSteps < 1)
            throw new ArgumentException($"MaxSteps must be ≥ 1, but is {options.MaxSteps}.", nameof(options));
        if (options.Dense && options.PerSampleSteps && stepper.IsAdaptive)
            throw new ArgumentException("Dense is not supported with PerSampleSteps yet (each sample would need its own steps' interpolants); use shared steps for a dense solution.", nameof(options));
    }

    /// <summary>A dense solution is not available through the adjoint: its interpolants would carry no adjoint gradients.</summary>
    public static void CheckNotDense(SolverOptions options)
    {
        if (options.Dense)
            throw new ArgumentException("Dense is not supported by SolveAdjoint: the interpolants would not be differentiated by the adjoint. Use Solve with Dense, or SolveAdjoint at the output times you need.", nameof(options));
    }

    /// <summary>A number &gt; 0, or a positive, finite, real tensor on y0's device that broadcasts to y0's <c>[B, D]</c>.</summary>
    private static void CheckTolerance(Tolerance tolerance, string name, Tensor y0)
    {
        if (tolerance.PerState is not { } values)
        {
            Positive(tolerance.Value, name);
            return;
        }
        if (values.IsInvalid)
            throw new ArgumentException($"{name} is a disposed tensor.", "options");
        long batch = y0.shape[0], columns = y0.shape[1];
        long[] shape = values.shape;
        bool broadcasts = shape.Length switch
        {
            0 => true,
            1 => shape[0] == columns || shape[0] == 1,
            2 => (shape[0] == batch || shape[0] == 1) && (shape[1] == columns || shape[1] == 1),
            _ => false,
        };
        if (!broadcasts)
            throw new ArgumentException(
                $"{name} must be a number, a [D] tensor (one tolerance per state column) or a [B, D] tensor (one per element) for y0 of shape [{Shape(y0)}], but has shape [{Shape(values)}].", "options");
        if (!values.is_floating_point())
            throw new ArgumentException($"{name} must have a floating-point dtype, but is {values.dtype}.", "options");
        if (values.device.ToString() != y0.device.ToString())
            throw new ArgumentException($"{name} is on {values.device} but y0 is on {y0.device}; move them to the same device.", "options");
        bool valid;
        using (torch.NewDisposeScope())
        using (torch.no_grad())
            valid = values.gt(0).logical_and(torch.isfinite(values)).all().item<bool>();
        if (!valid)
            throw new ArgumentException($"{name} must contain only finite numbers > 0.", "options");
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentException($"{name} must be a finite number > 0, but is {value.ToString(CultureInfo.InvariantCulture)}.", "options");
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);
}
