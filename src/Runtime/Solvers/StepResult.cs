using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// What one attempted step produced, in the caller's dispose scope (diffrax's <c>step</c> output).
/// </summary>
/// <param name="Y1">The state at the end of the step.</param>
/// <param name="ErrorRate">The local error estimate divided by the step (the norm multiplies by |h| on the host);
/// null for a method without an error estimate.</param>
/// <param name="NextSlope"><c>f</c> at the start of the next step when the step already computed it (first same as last,
/// or the last stage reused as torchdiffeq does); null when the loop must evaluate it.</param>
/// <param name="Stages">What the stepper's dense output interpolates from: a Runge–Kutta method's stages.</param>
internal readonly record struct StepResult(Tensor Y1, Tensor? ErrorRate, Tensor? NextSlope, Tensor[] Stages);
