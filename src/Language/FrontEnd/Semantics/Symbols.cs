namespace OdeDsl.Language.Semantics;

/// <summary>What a name in a model refers to.</summary>
public enum SymbolKind
{
    State,
    Param,
    Const,
    Layer,
    Let,
    Time,
}

/// <summary>
/// A state: its per-sample shape and where it sits in the packed <c>[B, D]</c> state tensor
/// (declaration order; a matrix state is flattened row-major).
/// </summary>
public sealed record StateSymbol(string Name, Shape Shape, int Offset, LocationHint Location)
{
    public int Size => Shape.Size;
}

/// <summary>A non-trainable constant with its default value (overridable when the model is constructed).</summary>
public sealed record ConstSymbol(string Name, double DefaultValue, LocationHint Location);

/// <summary>
/// <c>layer Name = linear(In, Out)</c>: applies <c>x ↦ W x + b</c>, with the params
/// <see cref="WeightParam"/> <c>[Out, In]</c> and <see cref="BiasParam"/> <c>[Out]</c>.
/// </summary>
public sealed record LayerSymbol(string Name, int InFeatures, int OutFeatures, LocationHint Location)
{
    public string WeightParam => Name + ".W";

    public string BiasParam => Name + ".b";
}
