using System.Linq;

namespace OdeDsl.Language.Ir;

/// <summary>Whether a model is a plain ODE system or a continuous normalizing flow.</summary>
public enum IrModelKind
{
    Model,
    Flow,
}

/// <summary>
/// The backend-neutral IR of one model: its declarations and its kernels (the forward dynamics and every function
/// derived from them). This is the root spec that flows from the compiler to the emitter and through the incremental
/// generator: the compiler pipeline decides which kernels exist and derives them, and the emitter writes exactly
/// what is here.
/// </summary>
/// <remarks>
/// Equality contract: an <see cref="IrModel"/> holds only strings, numbers, enums, records and
/// <see cref="EquatableArray{T}"/>s of them — no Roslyn symbols, syntax nodes or ANTLR objects — and two models are
/// equal exactly when the emitter produces the same output for them. Hence statements keep their source line and
/// normalised text (which generated comments and <c>#line</c> directives quote) but no columns or spans: an edit
/// that only changes whitespace or comments within a line yields an equal model, and the generator skips re-emitting.
/// </remarks>
/// <param name="Namespace">The C# namespace: the file's <c>namespace</c> declaration or the project's root namespace.</param>
/// <param name="Name">The model's name, a validated identifier.</param>
/// <param name="Kind">Model or flow.</param>
/// <param name="SourcePath">The .ode file's path as the build gave it (quoted by <c>#line</c>).</param>
/// <param name="States">The states in declaration (packing) order.</param>
/// <param name="Parameters">The trainable parameters in declaration order; a layer's weight and bias at the layer's place.</param>
/// <param name="Layers">The layers in declaration order (each owns two of <paramref name="Parameters"/>).</param>
/// <param name="Constants">The constructor-overridable constants in declaration order.</param>
/// <param name="LetNames">The names of the lets in dependency order; a let no equation needs has no statement in any kernel.</param>
/// <param name="Kernels">The functions of the model, the forward kernel first.</param>
public sealed record IrModel(
    string Namespace,
    string Name,
    IrModelKind Kind,
    string SourcePath,
    EquatableArray<IrState> States,
    EquatableArray<IrParameter> Parameters,
    EquatableArray<IrLayer> Layers,
    EquatableArray<IrConstant> Constants,
    EquatableArray<string> LetNames,
    EquatableArray<IrKernel> Kernels)
{
    /// <summary>
    /// True when the model was written as an <c>[OdeModel]</c> C# class: its states, parameters, constants and layers
    /// are then also that class's own fields, which the generated part fills, and its <c>Dynamics</c> method is the
    /// hand-written reference the generated part can run.
    /// </summary>
    public bool DeclaredInCSharp { get; init; }

    /// <summary>
    /// For an <c>[OdeModel]</c> class nested in other (partial) types: their names, outermost first, which the
    /// generated part is nested in too. Empty for a class directly in a namespace and for .ode models.
    /// </summary>
    public EquatableArray<IrContainingType> ContainingTypes { get; init; } = EquatableArray<IrContainingType>.Empty;

    /// <summary>D: the number of columns of the packed state.</summary>
    public int StateSize => States.Count == 0 ? 0 : States[States.Count - 1].Offset + States[States.Count - 1].Shape.ElementCount;

    /// <summary>The forward dynamics, from which every other kernel derives.</summary>
    public IrKernel Forward => Kernel(IrKernelKind.Forward) ?? throw new System.InvalidOperationException($"Model '{Name}' has no forward kernel.");

    /// <summary>The kernel of the given kind, or null when the pipeline did not derive it.</summary>
    public IrKernel? Kernel(IrKernelKind kind) => Kernels.FirstOrDefault(kernel => kernel.Kind == kind);

    /// <summary>The same model with <paramref name="kernel"/> replacing the kernel of its kind, or added after the others.</summary>
    public IrModel WithKernel(IrKernel kernel) => this with
    {
        Kernels = Kernel(kernel.Kind) is null
            ? Kernels.Append(kernel).ToEquatableArray()
            : Kernels.Select(existing => existing.Kind == kernel.Kind ? kernel : existing).ToEquatableArray(),
    };

    /// <summary>How a symbol is written in the source: a state's, parameter's or let's name, or <c>t</c>.</summary>
    public string NameOf(IrSymbol symbol) => symbol.Kind switch
    {
        IrSymbolKind.State => States[symbol.Index].Name,
        IrSymbolKind.Parameter => Parameters[symbol.Index].Name,
        IrSymbolKind.Time => "t",
        IrSymbolKind.Let => LetNames[symbol.Index],
        _ => new IrValue(symbol.Index).ToString(),
    };
}

/// <summary>A state: its name, per-sample shape, first column in the packed state and declaration line.</summary>
public sealed record IrState(string Name, IrShape Shape, int Offset, int Line);

/// <summary>
/// A trainable parameter (unbatched) and how it starts. A layer's parameters are named <c>layer.W</c> and
/// <c>layer.b</c> and name their <see cref="Layer"/>.
/// </summary>
public sealed record IrParameter(string Name, IrShape Shape, IrInitializer Initializer, int Line, string? Layer = null)
{
    /// <summary>The name within its layer (<c>W</c>, <c>b</c>), or the whole name for a plain parameter.</summary>
    public string LocalName => Layer is null ? Name : Name.Substring(Layer.Length + 1);
}

/// <summary>How a parameter's initial value is drawn or given; <see cref="Arguments"/> are evaluated numbers.</summary>
public sealed record IrInitializer(IrInitializerKind Kind, EquatableArray<double> Arguments)
{
    public static IrInitializer Value(double value) => new(IrInitializerKind.Value, EquatableArray.Create(value));

    // Bitwise comparison of the arguments, as for literals: -0.0 and 0.0 are emitted differently.
    public bool Equals(IrInitializer? other) =>
        other is not null && Kind == other.Kind && Bits.SequenceEqual(other.Bits);

    public override int GetHashCode() => Bits.Aggregate((int)Kind, (hash, bits) => (hash * 31) ^ bits.GetHashCode());

    private System.Collections.Generic.IEnumerable<long> Bits => Arguments.Select(System.BitConverter.DoubleToInt64Bits);
}

/// <summary>The initialisers of the language; the random ones follow torch.nn.init's definitions.</summary>
public enum IrInitializerKind
{
    /// <summary><c>param k = 0.04;</c>: Arguments = [value].</summary>
    Value,
    /// <summary>Xavier/Glorot uniform: U(±√(6 / (fan_in + fan_out))).</summary>
    Glorot,
    /// <summary>Kaiming/He uniform with torch's defaults (a = 0, fan_in): U(±√(6 / fan_in)).</summary>
    Kaiming,
    Zeros,
    Ones,
    /// <summary>Arguments = [mean, std].</summary>
    Normal,
    /// <summary>Arguments = [low, high].</summary>
    Uniform,
    /// <summary>Arguments = [value].</summary>
    Constant,
    /// <summary>torch.nn.Linear's weight: kaiming_uniform(a = √5), i.e. U(±1/√in); Arguments = [in].</summary>
    LinearWeight,
    /// <summary>torch.nn.Linear's bias: U(±1/√in); Arguments = [in].</summary>
    LinearBias,
}

/// <summary><c>layer Name = linear(InFeatures, OutFeatures);</c>: owns the parameters <c>Name.W</c> and <c>Name.b</c>.</summary>
public sealed record IrLayer(string Name, int InFeatures, int OutFeatures, int Line);

/// <summary>A constant and its default value, which the generated constructor lets callers override.</summary>
public sealed record IrConstant(string Name, double DefaultValue, int Line)
{
    public bool Equals(IrConstant? other) =>
        other is not null && Name == other.Name && Line == other.Line
        && System.BitConverter.DoubleToInt64Bits(DefaultValue) == System.BitConverter.DoubleToInt64Bits(other.DefaultValue);

    public override int GetHashCode() => (Name, Line, System.BitConverter.DoubleToInt64Bits(DefaultValue)).GetHashCode();
}

/// <summary>A type an <c>[OdeModel]</c> class is nested in: its keyword (<c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>) and its name.</summary>
public sealed record IrContainingType(string Keyword, string Name);
