using OdeDsl.Language;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Ir;

namespace OdeDsl.Generator.Models;

/// <summary>
/// One <c>[OdeModel]</c> class as the pipeline sees it: the model read into the .ode front end's AST (null when the
/// class cannot be read at all), the types it is nested in, and the C# front end's diagnostics. Equatable records only, no Roslyn symbols or
/// syntax, so an edit elsewhere in the file leaves an equal item and stops the pipeline here.
/// </summary>
internal sealed record ModelClassInput(string FilePath, string Namespace, EquatableArray<IrContainingType> ContainingTypes, ModelDeclaration? Model, EquatableArray<OdeDiagnostic> Diagnostics);
