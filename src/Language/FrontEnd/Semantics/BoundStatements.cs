namespace OdeDsl.Language.Semantics;

/// <summary>
/// A statement with what generated code quotes: <see cref="Line"/> (1-based, of its first token)
/// and <see cref="Source"/>, the statement re-printed from the AST (so that whitespace and comment
/// edits inside a line do not change it).
/// </summary>
public abstract record BoundStatement(BoundExpression Value, int Line, string Source, LocationHint Location)
{
    public Shape Shape => Value.Shape;
}

/// <summary><c>let Name = Value;</c></summary>
public sealed record BoundLet(string Name, BoundExpression Value, int Line, string Source, LocationHint Location)
    : BoundStatement(Value, Line, Source, Location);

/// <summary><c>dState/dt = Value;</c></summary>
public sealed record BoundEquation(string State, BoundExpression Value, int Line, string Source, LocationHint Location)
    : BoundStatement(Value, Line, Source, Location);
