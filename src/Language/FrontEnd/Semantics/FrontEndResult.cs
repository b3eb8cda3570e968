namespace OdeDsl.Language.Semantics;

/// <summary>
/// What <see cref="OdeFrontEnd.Analyze"/> returns for one file. <see cref="Models"/> holds only the
/// models that bound without any error (a file with a syntax error yields none);
/// <see cref="Diagnostics"/> holds every diagnostic of the file, in order of discovery.
/// </summary>
public sealed record FrontEndResult(EquatableArray<BoundModel> Models, EquatableArray<OdeDiagnostic> Diagnostics);
