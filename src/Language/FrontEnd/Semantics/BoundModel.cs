using System.Linq;
using OdeDsl.Language.Ast;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// One model after name resolution and shape checking: the front end's output and the input of the
/// IR stage. Immutable with value equality built from records and <see cref="EquatableArray{T}"/>;
/// it holds no ANTLR or Roslyn object.
/// <para>
/// Equality contract: source positions (<see cref="LocationHint"/>) never take part, so moving text
/// within a line or editing comments gives an equal model; statement line numbers and normalised
/// source text do take part, because generated code quotes them.
/// </para>
/// </summary>
/// <param name="FilePath">The .ode file, as given to the front end.</param>
/// <param name="Namespace">The file's namespace, else the default one given to the front end, else "".</param>
/// <param name="Name">The model's name, as declared.</param>
/// <param name="Kind">Model or flow.</param>
/// <param name="States">In declaration order, with their offsets in the packed state.</param>
/// <param name="Params">Declared params in order; a layer's W and b at the layer's place.</param>
/// <param name="Consts">In declaration order.</param>
/// <param name="Layers">In declaration order.</param>
/// <param name="Lets">In dependency order (each after the lets it uses; otherwise declaration order).</param>
/// <param name="Equations">In state declaration order, one per state.</param>
/// <param name="Location">The model's declaration (ignored by equality).</param>
public sealed record BoundModel(
    string FilePath,
    string Namespace,
    string Name,
    ModelKind Kind,
    EquatableArray<StateSymbol> States,
    EquatableArray<ParamSymbol> Params,
    EquatableArray<ConstSymbol> Consts,
    EquatableArray<LayerSymbol> Layers,
    EquatableArray<BoundLet> Lets,
    EquatableArray<BoundEquation> Equations,
    LocationHint Location)
{
    /// <summary>The model's name in its declaration (ignored by equality): where a diagnostic about the whole model points.</summary>
    public LocationHint NameLocation { get; init; }

    /// <summary>D in the packed <c>[B, D]</c> state: the sum of the states' sizes.</summary>
    public int StateSize => States.Sum(s => s.Size);

    /// <summary>Namespace-qualified name, e.g. <c>Examples.Physics.Lorenz</c>.</summary>
    public string FullName => Namespace.Length == 0 ? Name : Namespace + "." + Name;
}
