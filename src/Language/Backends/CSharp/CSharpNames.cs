using System;
using System.Collections.Generic;
using System.Linq;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Turns validated .ode identifiers into C# identifiers. Every name the emitter writes passes through here:
/// anything that is not <c>[A-Za-z_][A-Za-z0-9_]*</c> is rejected (an internal error, never emitted), and C#
/// keywords (the reserved <c>__arglist</c>, <c>__makeref</c>, <c>__reftype</c> and <c>__refvalue</c> included) are escaped with <c>@</c>.
/// </summary>
public static class CSharpNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
        // Undocumented keywords the compiler reserves (SyntaxFacts.GetKeywordKind knows them): '@' escapes them too.
        "__arglist", "__makeref", "__reftype", "__refvalue",
    };

    /// <summary>
    /// A project's root namespace as a C# namespace: MSBuild allows names C# does not (<c>My-App</c>, <c>2D</c>),
    /// so each part is made an identifier (<c>My_App</c>, <c>_2D</c>); empty means the global namespace.
    /// </summary>
    public static string? NamespaceOrNull(string? rootNamespace)
    {
        if (string.IsNullOrWhiteSpace(rootNamespace))
            return null;
        IEnumerable<string> parts = rootNamespace!.Split('.')
            .Select(part => new string(part.Trim().Select(c => (c < 128 && char.IsLetterOrDigit(c)) || c == '_' ? c : '_').ToArray()))
            .Where(part => part.Length > 0)
            .Select(part => char.IsDigit(part[0]) ? "_" + part : part);
        string joined = string.Join(".", parts);
        return joined.Length == 0 ? null : joined;
    }

    /// <summary>True for <c>[A-Za-z_][A-Za-z0-9_]*</c>, the only identifiers the .ode language has.</summary>
    public static bool IsValidIdentifier(string name)
    {
        if (string.IsNullOrEmpty(name) || !(IsAsciiLetter(name[0]) || name[0] == '_'))
            return false;
        foreach (char c in name)
        {
            if (!(IsAsciiLetter(c) || c == '_' || (c >= '0' && c <= '9')))
                return false;
        }
        return true;
    }

    /// <summary>The identifier as C# source: validated, and escaped with <c>@</c> when it is a keyword.</summary>
    public static string Escape(string name) => Keywords.Contains(Validate(name)) ? "@" + name : name;

    /// <summary>A dotted namespace (<c>A.B</c>), each part validated and escaped.</summary>
    public static string EscapeNamespace(string dotted)
    {
        string[] parts = dotted.Split('.');
        for (int i = 0; i < parts.Length; i++)
            parts[i] = Escape(parts[i]);
        return string.Join(".", parts);
    }

    /// <summary>Throws for a name that is not a valid identifier: the emitter must never write it.</summary>
    public static string Validate(string name) =>
        IsValidIdentifier(name) ? name : throw new InvalidOperationException($"Refusing to emit the invalid identifier '{Sanitize(name)}'.");

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!(IsAsciiLetter(chars[i]) || chars[i] == '_' || char.IsDigit(chars[i])))
                chars[i] = '?';
        }
        return new string(chars);
    }
}

/// <summary>
/// Hands out unique C# identifiers within one generated class, so locals, fields and the methods' parameters never
/// collide with each other, with .ode names, or with the base module's members. Each method claims its locals in a
/// scope of its own (<see cref="ForMethod"/>): two methods may both have a local <c>dx</c>, but no local ever hides
/// a field, whichever is claimed first.
/// </summary>
public sealed class NameScope
{
    private readonly HashSet<string> taken = new(StringComparer.Ordinal);
    private readonly HashSet<string> takenByMethods = new(StringComparer.Ordinal);
    private readonly NameScope? parent;

    public NameScope(IEnumerable<string> reserved)
    {
        foreach (string name in reserved)
            taken.Add(name);
    }

    private NameScope(NameScope parent) => this.parent = parent;

    /// <summary>A scope for one method's locals: it avoids the class's names, and the class's later names avoid it.</summary>
    public NameScope ForMethod() => new(this);

    /// <summary>Claims <paramref name="preferred"/>, or the first free <c>preferred_2</c>, <c>preferred_3</c>, …; returns it escaped.</summary>
    public string Claim(string preferred)
    {
        CSharpNames.Validate(preferred);
        // A lone underscore is a discard in C#, not a variable.
        string candidate = preferred == "_" ? "_1" : preferred;
        for (int suffix = 2; IsTaken(candidate); suffix++)
            candidate = preferred + "_" + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        taken.Add(candidate);
        parent?.takenByMethods.Add(candidate);
        return CSharpNames.Escape(candidate);
    }

    private bool IsTaken(string name) => taken.Contains(name) || takenByMethods.Contains(name) || (parent is not null && parent.taken.Contains(name));
}
