using System.Collections.Generic;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// Names a model may not declare: the language's keywords, the time <c>t</c>, and the built-in
/// functions (a let named 'exp' would shadow exp(x)). C# keywords are fine: the emitter escapes them.
/// </summary>
internal static class ReservedWords
{
    private static readonly HashSet<string> Keywords = new() { "namespace", "model", "flow", "state", "param", "const", "layer", "let" };

    // The members every generated model class declares (a C# member may not be named like its class, CS0542), and
    // the two an [OdeModel] class declares or gets for its hand-written dynamics.
    private static readonly HashSet<string> GeneratedMembers = new()
    {
        "forward", "Vjp", "Jvp", "Jacobian", "Divergence", "DynamicsAndDivergence", "FlowVjp", "States", "ParameterInfos",
        "Dynamics", "ReferenceForward",
    };

    // Contextual keywords C# forbids (file, required, scoped: errors; record: a warning) or reads as a keyword inside
    // the generated class (var: 'var x = …' would mean the model's type) as a type's name.
    private static readonly HashSet<string> CSharpTypeNames = new() { "var", "record", "file", "required", "scoped" };

    /// <summary>Why <paramref name="name"/> cannot name a model (its generated C# class), or null when it can.</summary>
    public static string? ModelNameReason(string name)
    {
        if (GeneratedMembers.Contains(name))
            return $"the generated class has a member named '{name}', and C# does not allow a member named like its class";
        if (CSharpTypeNames.Contains(name))
            return $"C# does not allow '{name}' as the name of a class";
        return null;
    }

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
