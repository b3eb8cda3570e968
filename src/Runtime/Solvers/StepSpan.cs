using System;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// Where a step starts and how long it is: one host time and step for the whole batch (shared stepping), or a time
/// and a step per sample as tensors (per-sample stepping). A stepper's stage loop is written once against it: it
/// only ever advances a state by a multiple of the step and evaluates the dynamics at a node of the step.
/// </summary>
internal abstract class StepSpan : IDisposable
{
    /// <summary>A step of <paramref name="h"/> (negative in reverse time) from <paramref name="t0"/> for the whole batch.</summary>
    public static StepSpan Shared(double t0, double h) => new SharedSpan(t0, h);

    /// <summary>
    /// A step per sample: <paramref name="t0"/> and <paramref name="h"/> are <c>[B]</c> tensors in the state's dtype
    /// and device, owned by the caller.
    /// </summary>
    public static StepSpan PerSample(Tensor t0, Tensor h) => new PerSampleSpan(t0, h);

    /// <summary><c>y0 + h·slope</c>, the step broadcasting over the columns; in the caller's dispose scope.</summary>
    public abstract Tensor Advance(Tensor y0, Tensor slope);

    /// <summary>f at the node <c>t0 + c·h</c> and the state <paramref name="y"/> (<paramref name="cScalar"/> is c, cached).</summary>
    public abstract Tensor Evaluate(Dynamics f, double c, Scalar cScalar, Tensor y);

    public abstract void Dispose();

    private sealed class SharedSpan : StepSpan
    {
        private readonly double t0, h;
        private readonly Scalar step;

        public SharedSpan(double t0, double h)
        {
            this.t0 = t0;
            this.h = h;
            step = h.ToScalar();
        }

        public override Tensor Advance(Tensor y0, Tensor slope) => y0.add(slope, alpha: step);

        // The last node of an FSAL method is exactly t0 + h, not t0 + 1.0·h rounded differently.
        public override Tensor Evaluate(Dynamics f, double c, Scalar cScalar, Tensor y) =>
            f.Evaluate(c == 1.0 ? t0 + h : t0 + c * h, y);

        public override void Dispose() => step.Dispose();
    }

    private sealed class PerSampleSpan : StepSpan
    {
        private readonly Tensor t0, h, hColumn;
        private readonly Scalar one = 1.0.ToScalar();

        public PerSampleSpan(Tensor t0, Tensor h)
        {
            this.t0 = t0;
            this.h = h;
            hColumn = h.unsqueeze(1);
        }

        public override Tensor Advance(Tensor y0, Tensor slope) => y0.addcmul(hColumn, slope, one);

        public override Tensor Evaluate(Dynamics f, double c, Scalar cScalar, Tensor y)
        {
            using Tensor times = t0.add(h, alpha: cScalar);
            return f.Evaluate(times, y);
        }

        public override void Dispose()
        {
            hColumn.Dispose();
            one.Dispose();
        }
    }
}
