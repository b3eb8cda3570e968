namespace OdeDsl;

/// <summary>How a <see cref="ParamAttribute"/> tensor is initialised: the <c>.ode</c> language's initialisers after <c>~</c>.</summary>
public enum Init
{
    /// <summary>Glorot (Xavier) uniform: <c>~ glorot</c>.</summary>
    Glorot,

    /// <summary>Kaiming (He) uniform: <c>~ kaiming</c>.</summary>
    Kaiming,

    /// <summary>All zeros: <c>~ zeros</c>.</summary>
    Zeros,

    /// <summary>All ones: <c>~ ones</c>.</summary>
    Ones,

    /// <summary>Normal with <see cref="ParamAttribute.Mean"/> and <see cref="ParamAttribute.Std"/>: <c>~ normal(mean, std)</c>.</summary>
    Normal,

    /// <summary>Uniform on [<see cref="ParamAttribute.Low"/>, <see cref="ParamAttribute.High"/>]: <c>~ uniform(lo, hi)</c>.</summary>
    Uniform,

    /// <summary>Every element <see cref="ParamAttribute.Value"/>: <c>~ constant(c)</c>.</summary>
    Constant,
}
