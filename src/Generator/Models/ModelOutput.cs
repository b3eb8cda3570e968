using OdeDsl.Language;
using OdeDsl.Language.Emit;

namespace OdeDsl.Generator.Models;

/// <summary>What one model contributes to the compilation: its sources (the class and its Vjp), or the internal error that prevented them.</summary>
internal sealed record ModelOutput(EquatableArray<GeneratedSource> Sources, OdeDiagnostic? Failure);
