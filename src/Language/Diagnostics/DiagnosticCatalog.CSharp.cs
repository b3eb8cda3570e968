using System.Collections.Generic;

namespace OdeDsl.Language;

/// <summary>ODE03xx: the C# front end, for <c>[OdeModel]</c> classes. Each points at the exact syntax node.</summary>
public static partial class DiagnosticCatalog
{
    /// <summary>ODE0301: a statement or expression outside the subset the generator compiles.</summary>
    public static OdeDiagnostic UnsupportedConstruct(string filePath, SourceSpan span, string construct, string hint) =>
        Error("ODE0301", filePath, span, $"{construct} is not supported in an [OdeModel] class's Dynamics: {hint}.");

    /// <summary>ODE0302: the class lacks <c>partial</c>, so the generated part cannot join it.</summary>
    public static OdeDiagnostic ModelClassNotPartial(string filePath, SourceSpan span, string name) =>
        Error("ODE0302", filePath, span, $"[OdeModel] class {Q(name)} must be declared 'partial': the generator adds forward, Vjp and the other members in a second part of it.");

    /// <summary>ODE0303: a class the generated part cannot extend (generic, static, nested in a non-partial type, with its own base class).</summary>
    public static OdeDiagnostic UnsupportedModelClass(string filePath, SourceSpan span, string name, string problem) =>
        Error("ODE0303", filePath, span, $"[OdeModel] class {Q(name)} {problem}.");

    /// <summary>ODE0304: no <c>void Dynamics(Tensor t)</c>, or one with another signature.</summary>
    public static OdeDiagnostic InvalidDynamicsMethod(string filePath, SourceSpan span, string name, string problem) =>
        Error("ODE0304", filePath, span, $"[OdeModel] class {Q(name)} {problem}; declare the dynamics as 'void Dynamics(Tensor t) {{ dx = …; }}'.");

    /// <summary>ODE0305: a call to something other than an <c>OdeDsl.Dsl</c> function or a layer.</summary>
    public static OdeDiagnostic UnknownMethod(string filePath, SourceSpan span, string call, string? suggestion, IEnumerable<string> known) =>
        Error("ODE0305", filePath, span, $"{Q(call)} cannot be compiled: Dynamics may call the functions of OdeDsl.Dsl ({JoinWords(known)}), TorchSharp's spellings of them (torch.tanh(x), x.pow(2)) and its layers' forward.{DidYouMean(suggestion)}");

    /// <summary>ODE0306: a member attribute on the wrong kind of field, with arguments that are not constants, or a constant without a value.</summary>
    public static OdeDiagnostic InvalidModelMember(string filePath, SourceSpan span, string member, string problem) =>
        Error("ODE0306", filePath, span, $"{Q(member)} {problem}.");

    /// <summary>ODE0307: an assignment in Dynamics to something other than a state's derivative field.</summary>
    public static OdeDiagnostic AssignmentNotDerivative(string filePath, SourceSpan span, string target, string hint) =>
        Error("ODE0307", filePath, span, $"Dynamics assigns {Q(target)}, but it may assign only the derivatives of states ('dx = …;' for state 'x'): {hint}.");
}
