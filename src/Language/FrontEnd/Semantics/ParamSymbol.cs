namespace OdeDsl.Language.Semantics;

/// <summary>
/// A trainable parameter (unbatched). Layer parameters are named <c>layer.W</c> and <c>layer.b</c>
/// and carry the layer's name in <see cref="Layer"/>.
/// </summary>
public sealed record ParamSymbol(string Name, Shape Shape, ParamInitializer Initializer, string? Layer, LocationHint Location);

/// <summary>How a parameter starts; <see cref="Arguments"/> are already evaluated.</summary>
public sealed record ParamInitializer(InitializerKind Kind, EquatableArray<double> Arguments)
{
    public static ParamInitializer Value(double value) => new(InitializerKind.Value, EquatableArray.Create(value));
}

/// <summary>The ways a parameter can be initialised.</summary>
public enum InitializerKind
{
    /// <summary><c>param k = 0.04;</c>: Arguments = [value].</summary>
    Value,
    /// <summary>Xavier/Glorot uniform.</summary>
    Glorot,
    /// <summary>Kaiming/He uniform.</summary>
    Kaiming,
    Zeros,
    Ones,
    /// <summary>Arguments = [mean, std].</summary>
    Normal,
    /// <summary>Arguments = [low, high].</summary>
    Uniform,
    /// <summary>Arguments = [value].</summary>
    Constant,
    /// <summary>torch.nn.Linear's weight initialisation; Arguments = [in features].</summary>
    LinearWeight,
    /// <summary>torch.nn.Linear's bias initialisation; Arguments = [in features].</summary>
    LinearBias,
}
