using OdeDsl.Language.Ast;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// A resolved, shape-checked expression. Every node knows its per-sample <see cref="Shape"/>;
/// its <see cref="Location"/> is for diagnostics only and is ignored by equality.
/// </summary>
public abstract record BoundExpression(Shape Shape, LocationHint Location);

public sealed record BoundNumber(double Value, LocationHint Location) : BoundExpression(Shape.Scalar, Location);

/// <summary>A state, param (including <c>layer.W</c>/<c>layer.b</c>), const, let or <c>t</c>.</summary>
public sealed record BoundSymbol(string Name, SymbolKind Kind, Shape Shape, LocationHint Location) : BoundExpression(Shape, Location);

public sealed record BoundNegate(BoundExpression Operand, LocationHint Location) : BoundExpression(Operand.Shape, Location);

/// <summary>Elementwise arithmetic (scalars broadcast), power, or a matrix product.</summary>
public sealed record BoundBinary(BinaryOperator Operator, BoundExpression Left, BoundExpression Right, Shape Shape, LocationHint Location)
    : BoundExpression(Shape, Location);

public sealed record BoundCall(BuiltinFunction Function, EquatableArray<BoundExpression> Arguments, Shape Shape, LocationHint Location)
    : BoundExpression(Shape, Location);

/// <summary><c>layer(input)</c> = <c>layer.W @ input + layer.b</c>.</summary>
public sealed record BoundLayerApplication(LayerSymbol Layer, BoundExpression Input, Shape Shape, LocationHint Location)
    : BoundExpression(Shape, Location);

/// <summary><c>[a; b]</c>: scalars and vectors joined into one vector.</summary>
public sealed record BoundConcatenation(EquatableArray<BoundExpression> Parts, Shape Shape, LocationHint Location)
    : BoundExpression(Shape, Location);

/// <summary><c>target[Index]</c> along the first axis; a negative index in the source is already resolved.</summary>
public sealed record BoundIndex(BoundExpression Target, int Index, Shape Shape, LocationHint Location)
    : BoundExpression(Shape, Location);

/// <summary><c>target[Start:End]</c> along the first axis, End exclusive, both resolved.</summary>
public sealed record BoundSlice(BoundExpression Target, int Start, int End, Shape Shape, LocationHint Location)
    : BoundExpression(Shape, Location);
