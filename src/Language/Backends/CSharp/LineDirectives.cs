namespace OdeDsl.Language.Emit;

/// <summary>
/// Enhanced <c>#line</c> directives (C# 10) mapping generated statements back to their .ode line, so compiler
/// messages and the debugger land in the model file.
/// </summary>
/// <remarks>
/// The file name inside <c>#line</c> is a literal with no escapes, ended by <c>"</c> or a line break: a path holding
/// either cannot be written safely, and such files simply get no mapping. Only lines are mapped (the IR keeps no
/// columns, so a whitespace edit does not change the output): the span is the line's first column.
/// </remarks>
internal static class LineDirectives
{
    public static bool IsUsablePath(string path)
    {
        if (path.Length == 0)
            return false;
        foreach (char c in path)
        {
            if (c == '"' || c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029' || char.IsControl(c))
                return false;
        }
        return true;
    }

    /// <summary>Maps the next generated line, from column <paramref name="generatedColumn"/> on, to <paramref name="line"/>.</summary>
    public static string Map(int line, int generatedColumn, string path)
    {
        string l = CSharpLiterals.Int(line);
        return $"#line ({l}, 1) - ({l}, 1) {CSharpLiterals.Int(generatedColumn)} \"{path}\"";
    }

    public const string Hidden = "#line hidden";

    public const string Default = "#line default";
}
