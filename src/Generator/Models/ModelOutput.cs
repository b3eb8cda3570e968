using OdeDsl.Language;
using OdeDsl.Language.Emit;

namespace OdeDsl.Generator.Models;

/// <summary>What one model contributes to the compilation: its source, or the internal error that prevented it.</summary>
internal sealed record ModelOutput(GeneratedSource? Source, OdeDiagnostic? Failure);
