namespace OdeDsl.Generator.Models;

/// <summary>One .ode file as the pipeline sees it: plain strings, so an unchanged file is a cached step.</summary>
internal sealed record OdeFileInput(string Path, string Text, string? DefaultNamespace);
