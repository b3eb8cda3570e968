using System.Collections.Generic;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// Names a model may not declare: the language's keywords, the time <c>t</c>, and the built-in
/// functions (a let named 'exp' would shadow exp(x)). C# keywords are fine: the emitter escapes them.
/// </summary>
internal static class ReservedWords
{
    private static readonly HashSet<string> Keywords = new() { "namespace", "model", "flow", "state", "param", "const", "layer", "let" };

    /// <summary>Why <paramref name="name"/> is reserved, or null when it is free to use.</summary>
    public static string? Reason(string name)
    {
        if (Keywords.Contains(name))
            return "a keyword of the language";
        if (name == "t")
            return "'t' is the time, always in scope";
        if (Builtins.Function(name) is not null)
            return "a built-in function";
        return null;
    }
}
