using System.Globalization;

namespace OdeDsl.Language.Emit;

/// <summary>Numbers and strings as C# literals, independent of the machine's culture.</summary>
public static class CSharpLiterals
{
    /// <summary>
    /// A double literal that round-trips exactly ("R", invariant culture) and is always typed double: it carries a
    /// <c>.0</c> or an exponent. Negative values come out as <c>-2.5</c>: callers parenthesise where that matters.
    /// </summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value))
            return "global::System.Double.NaN";
        if (double.IsPositiveInfinity(value))
            return "global::System.Double.PositiveInfinity";
        if (double.IsNegativeInfinity(value))
            return "global::System.Double.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0)
            text += ".0";
        // -0.0 prints as "-0": keep the sign, it is observable (1 / -0.0).
        return text;
    }

    /// <summary>A double literal safe to use as an operand: negative values parenthesised.</summary>
    public static string DoubleOperand(double value)
    {
        string text = Double(value);
        return text.StartsWith("-", System.StringComparison.Ordinal) ? "(" + text + ")" : text;
    }

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A string literal for a validated identifier (nothing to escape by construction).</summary>
    public static string IdentifierString(string name) => "\"" + CSharpNames.Validate(name) + "\"";

    /// <summary>A string literal for a dotted name such as <c>l1.W</c>, each part a validated identifier.</summary>
    public static string DottedIdentifierString(string name)
    {
        foreach (string part in name.Split('.'))
            CSharpNames.Validate(part);
        return "\"" + name + "\"";
    }

    /// <summary><c>new long[] { 50, 2 }</c>, or an empty array for a scalar.</summary>
    public static string LongArray(System.Collections.Generic.IEnumerable<int> values)
    {
        string items = string.Join(", ", System.Linq.Enumerable.Select(values, Int));
        return items.Length == 0 ? "global::System.Array.Empty<long>()" : "new long[] { " + items + " }";
    }
}
