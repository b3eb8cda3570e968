using System;

namespace OdeDsl;

/// <summary>
/// A trainable parameter of an <see cref="OdeModelAttribute"/> class (the <c>.ode</c> language's <c>param</c>): a
/// <c>Tensor</c> field, either a scalar with its initial value (<c>[Param(0.04)] Tensor k;</c>) or a tensor of the
/// given shape drawn by an initialiser (<c>[Param(Init.Glorot, 50, 2)] Tensor W1;</c>,
/// <c>[Param(Init.Normal, 4, Mean = 0.0, Std = 0.1)] Tensor b;</c>). The generated constructor creates and registers it
/// under the field's name and stores it in the field.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class ParamAttribute : Attribute
{
    /// <summary>A scalar parameter starting at <paramref name="initialValue"/>.</summary>
    public ParamAttribute(double initialValue)
    {
        InitialValue = initialValue;
        Shape = Array.Empty<int>();
    }

    /// <summary>A parameter of shape <paramref name="shape"/> (none: a scalar) initialised by <paramref name="init"/>.</summary>
    public ParamAttribute(Init init, params int[] shape)
    {
        Init = init;
        Shape = shape;
    }

    /// <summary>The initial value of a scalar parameter; null when an initialiser is used.</summary>
    public double? InitialValue { get; }

    /// <summary>The initialiser; null for a scalar with an initial value.</summary>
    public Init? Init { get; }

    /// <summary>The shape: empty for a scalar, one length for a vector, two for a matrix.</summary>
    public int[] Shape { get; }

    /// <summary>The mean of <see cref="OdeDsl.Init.Normal"/>.</summary>
    public double Mean { get; set; }

    /// <summary>The standard deviation of <see cref="OdeDsl.Init.Normal"/>.</summary>
    public double Std { get; set; } = 1.0;

    /// <summary>The lower bound of <see cref="OdeDsl.Init.Uniform"/>.</summary>
    public double Low { get; set; }

    /// <summary>The upper bound of <see cref="OdeDsl.Init.Uniform"/>.</summary>
    public double High { get; set; } = 1.0;

    /// <summary>The value of <see cref="OdeDsl.Init.Constant"/>.</summary>
    public double Value { get; set; }
}
