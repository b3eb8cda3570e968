using System;

namespace OdeDsl;

/// <summary>
/// A linear layer of an <see cref="OdeModelAttribute"/> class (the <c>.ode</c> language's
/// <c>layer l = linear(in, out)</c>): a <see cref="LinearLayer"/> field, <c>[Layer(3, 64)] LinearLayer l1;</c>,
/// applied in <c>Dynamics</c> as <c>l1.forward(v)</c>. Its parameters are <c>l1.W</c> <c>[out, in]</c> and
/// <c>l1.b</c> <c>[out]</c>, initialised as <c>torch.nn.Linear</c>'s.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class LayerAttribute : Attribute
{
    /// <summary>A linear layer from <paramref name="inFeatures"/> inputs to <paramref name="outFeatures"/> outputs.</summary>
    public LayerAttribute(int inFeatures, int outFeatures)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    /// <summary>The input length.</summary>
    public int InFeatures { get; }

    /// <summary>The output length.</summary>
    public int OutFeatures { get; }
}
