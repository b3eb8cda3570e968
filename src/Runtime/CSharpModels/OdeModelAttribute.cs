using System;

namespace OdeDsl;

/// <summary>
/// Marks a <c>partial class</c> as a model written in C#: its <see cref="StateAttribute"/>, <see cref="ParamAttribute"/>,
/// <see cref="ConstAttribute"/> and <see cref="LayerAttribute"/> members and its <c>void Dynamics(Tensor t)</c> method
/// are compiled at build time, exactly as a <c>.ode</c> model is, into a generated part that derives from
/// <see cref="OdeModel"/> and adds <c>forward</c>, <c>Vjp</c> and the other derived members.
/// </summary>
/// <example>
/// <code>
/// [OdeModel]
/// public partial class Lorenz
/// {
///     [State] Tensor x, y, z;
///     [Param(10.0)] Tensor sigma;
///     [Param(28.0)] Tensor rho;
///     [Param(8.0 / 3.0)] Tensor beta;
///
///     void Dynamics(Tensor t)
///     {
///         dx = sigma * (y - x);
///         dy = x * (rho - z) - y;
///         dz = x * y - beta * z;
///     }
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class OdeModelAttribute : Attribute
{
    /// <summary>
    /// True for a continuous normalizing flow (the <c>.ode</c> language's <c>flow</c>): the generated part also
    /// carries the exact log-density dynamics. A flow has exactly one vector state.
    /// </summary>
    public bool Flow { get; set; }
}
