using System;

namespace OdeDsl;

/// <summary>
/// A constant of an <see cref="OdeModelAttribute"/> class (the <c>.ode</c> language's <c>const</c>): a <c>double</c>
/// field whose initialiser is its default (<c>[Const] double mu = 1.0;</c>). The generated constructor takes it as an
/// optional argument of the same name, so each model instance can use its own value; it is not trained.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class ConstAttribute : Attribute
{
}
