using System;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// A source span that rides along in the bound model for diagnostics but takes no part in its
/// equality: every LocationHint equals every other and hashes to 0. So editing whitespace or a
/// comment inside a line leaves the bound model equal and the generator's cached output valid;
/// what generated code may depend on (statement line numbers, normalised source) is compared.
/// </summary>
public readonly struct LocationHint : IEquatable<LocationHint>
{
    public LocationHint(SourceSpan span) => Span = span;

    public SourceSpan Span { get; }

    public bool Equals(LocationHint other) => true;

    public override bool Equals(object? obj) => obj is LocationHint;

    public override int GetHashCode() => 0;

    public static bool operator ==(LocationHint left, LocationHint right) => true;

    public static bool operator !=(LocationHint left, LocationHint right) => false;

    public override string ToString() => Span.ToString();
}
