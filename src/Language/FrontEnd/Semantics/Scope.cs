using System.Collections.Generic;
using System.Linq;

namespace OdeDsl.Language.Semantics;

/// <summary>A declared name in a model's single flat scope.</summary>
internal sealed record DeclaredName(string Name, SymbolKind Kind, Shape Shape, SourceSpan Span, LayerSymbol? Layer = null)
{
    public string KindWord => Kind switch
    {
        SymbolKind.State => "state",
        SymbolKind.Param => "param",
        SymbolKind.Const => "const",
        SymbolKind.Layer => "layer",
        SymbolKind.Let => "let",
        _ => "time",
    };
}

/// <summary>
/// The names of one model: states, params (with a layer's <c>l.W</c> and <c>l.b</c>), consts,
/// layers, lets, and <c>t</c>. A model is one scope: a let may use names declared after it.
/// </summary>
internal sealed class Scope
{
    private readonly Dictionary<string, DeclaredName> names = new();
    private readonly Dictionary<string, Shape> letShapes = new();

    public Scope() => names["t"] = new DeclaredName("t", SymbolKind.Time, Shape.Scalar, default);

    /// <summary>Adds the name, or returns the earlier declaration that it clashes with.</summary>
    public DeclaredName? Declare(DeclaredName name)
    {
        if (names.TryGetValue(name.Name, out DeclaredName? existing))
            return existing;
        names.Add(name.Name, name);
        return null;
    }

    /// <summary>Names whose declaration was refused (reserved words): their uses are not reported again.</summary>
    public HashSet<string> Rejected { get; } = new();

    public DeclaredName? Lookup(string name) => names.TryGetValue(name, out DeclaredName? found) ? found : null;

    /// <summary>Records a let's shape once it is bound; lets without one (in a cycle, or with errors) stay unknown.</summary>
    public void SetLetShape(string name, Shape shape) => letShapes[name] = shape;

    public Shape? LetShape(string name) => letShapes.TryGetValue(name, out Shape shape) ? shape : null;

    public IEnumerable<string> ValueNames => names.Values.Where(n => n.Kind != SymbolKind.Layer).Select(n => n.Name);

    public IEnumerable<string> LayerNames => names.Values.Where(n => n.Kind == SymbolKind.Layer).Select(n => n.Name);

    public IEnumerable<string> StateNames => names.Values.Where(n => n.Kind == SymbolKind.State).Select(n => n.Name);
}
