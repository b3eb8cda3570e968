using System;

namespace OdeDsl;

/// <summary>
/// A per-sample state of an <see cref="OdeModelAttribute"/> class (the <c>.ode</c> language's <c>state</c>): a
/// <c>Tensor</c> field, scalar without arguments (<c>[State] Tensor x;</c>) or a vector of the given length
/// (<c>[State(2)] Tensor y;</c>). States are packed into the columns of <c>y</c> in declaration order. Its derivative
/// is assigned in <c>Dynamics</c> to the generated field <c>d</c> + name (<c>dx = …;</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class StateAttribute : Attribute
{
    /// <summary>A state of the given shape: none for a scalar, one length for a vector.</summary>
    public StateAttribute(params int[] shape) => Shape = shape;

    /// <summary>The per-sample shape: empty for a scalar.</summary>
    public int[] Shape { get; }
}
