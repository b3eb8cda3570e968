using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The tensors a solve carries from step to step, and the output blocks it has produced. They live outside the
/// per-step dispose scopes; whatever the solver created is disposed when replaced or at the end (the caller's
/// <c>y0</c> never is).
/// </summary>
internal sealed class SolverState : IDisposable
{
    private readonly Tensor callerY0;
    private readonly List<Tensor> outputs = new();

    public SolverState(Tensor y0)
    {
        callerY0 = y0;
        Y = y0;
        outputs.Add(y0.unsqueeze(0).DetachFromDisposeScope());
    }

    /// <summary>Collects the steps' dense output when the caller asked for a dense solution; null otherwise.</summary>
    public Dense.DenseRecorder? Dense { get; init; }

    /// <summary>The state at the current time.</summary>
    public Tensor Y { get; private set; }

    /// <summary>f(t, Y) when known (first-same-as-last methods and adaptive methods keep it).</summary>
    public Tensor? F { get; private set; }

    /// <summary>Replaces the state (and its derivative), disposing the previous ones if the solver made them.</summary>
    public void Advance(Tensor y, Tensor? f)
    {
        if (!ReferenceEquals(y, callerY0))
            y.DetachFromDisposeScope();
        f?.DetachFromDisposeScope();
        if (!ReferenceEquals(Y, callerY0))
            Y.Dispose();
        if (F is not null && !ReferenceEquals(F, f))
            F.Dispose();
        Y = y;
        F = f;
    }

    /// <summary>Replaces f(t, Y) alone (samples froze: their slope is now zero), disposing the previous one.</summary>
    public void ReplaceSlope(Tensor f)
    {
        f.DetachFromDisposeScope();
        if (F is not null && !ReferenceEquals(F, f))
            F.Dispose();
        F = f;
    }

    /// <summary><c>[B, D]</c>: the state at the last requested time reached, in the caller's dispose scope.</summary>
    public Tensor LastOutput()
    {
        Tensor block = outputs[^1];
        return block.select(0, block.shape[0] - 1);
    }

    /// <summary>Adds <c>[m, B, D]</c> states at the next m requested times.</summary>
    public void AddOutputs(Tensor block) => outputs.Add(block.DetachFromDisposeScope());

    /// <summary><c>[T, B, D]</c>, created in the caller's dispose scope.</summary>
    public Tensor Trajectory() => outputs.Count == 1 ? outputs[0].clone() : torch.cat(outputs, 0);

    public void Dispose()
    {
        foreach (Tensor block in outputs)
            block.Dispose();
        if (!ReferenceEquals(Y, callerY0))
            Y.Dispose();
        F?.Dispose();
    }
}
