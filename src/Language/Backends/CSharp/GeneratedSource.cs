namespace OdeDsl.Language.Emit;

/// <summary>One generated C# file: its hint name (unique per project) and its text.</summary>
public sealed record GeneratedSource(string HintName, string Text);
