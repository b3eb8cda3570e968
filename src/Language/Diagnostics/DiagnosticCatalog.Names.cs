using System.Collections.Generic;
using System.Globalization;

namespace OdeDsl.Language;

// ODE01xx: names, scopes and declarations.
public static partial class DiagnosticCatalog
{
    /// <summary>ODE0101 — <c>Unknown name '{name}'. Did you mean '{suggestion}'?</c> (or, with no suggestion, what can be named).</summary>
    public static OdeDiagnostic UnknownName(string filePath, SourceSpan span, string name, string? suggestion) =>
        Error("ODE0101", filePath, span, suggestion is null
            ? $"Unknown name {Q(name)}. Declare it as a state, param, const, layer or let before using it."
            : $"Unknown name {Q(name)}.{DidYouMean(suggestion)}");

    /// <summary>ODE0102 — <c>'{name}' is already declared as a {kind} at line {line}; each name may be declared once in a model.</c></summary>
    public static OdeDiagnostic DuplicateDeclaration(string filePath, SourceSpan span, string name, string previousKind, SourceSpan previous) =>
        Error("ODE0102", filePath, span, $"{Q(name)} is already declared as a {previousKind} at {At(previous)}; each name may be declared once in a model. Rename one of them.");

    /// <summary>ODE0103 — <c>State '{name}' has no equation: add 'd{name}/dt = …;'.</c></summary>
    public static OdeDiagnostic MissingEquation(string filePath, SourceSpan span, string name) =>
        Error("ODE0103", filePath, span, $"State {Q(name)} has no equation: add 'd{name}/dt = …;'.");

    /// <summary>ODE0104 — <c>'{name}' is a reserved word ({why}) and cannot be used as a name. Choose another name.</c></summary>
    public static OdeDiagnostic ReservedName(string filePath, SourceSpan span, string name, string why) =>
        Error("ODE0104", filePath, span, $"{Q(name)} is a reserved word ({why}) and cannot be used as a name. Choose another name.");

    /// <summary>ODE0105 — <c>'d{name}/dt' defines the derivative of '{name}', which is a {kind}, not a state.</c> (or is not declared)</summary>
    public static OdeDiagnostic EquationForNonState(string filePath, SourceSpan span, string name, string? kind, string? suggestion) =>
        Error("ODE0105", filePath, span, kind is null
            ? $"'d{name}/dt' defines the derivative of {Q(name)}, which is not declared. Declare it with 'state {name};'.{DidYouMean(suggestion)}"
            : $"'d{name}/dt' defines the derivative of {Q(name)}, which is a {kind}, not a state. Only states have equations.");

    /// <summary>ODE0106 — <c>State '{name}' already has an equation at line {line}; each state has exactly one.</c></summary>
    public static OdeDiagnostic DuplicateEquation(string filePath, SourceSpan span, string name, SourceSpan previous) =>
        Error("ODE0106", filePath, span, $"State {Q(name)} already has an equation at {At(previous)}; each state has exactly one. Remove one of them.");

    /// <summary>ODE0107 — <c>'let {name}' depends on itself: {a} → {b} → {a}. Break the cycle.</c></summary>
    public static OdeDiagnostic LetCycle(string filePath, SourceSpan span, string name, IReadOnlyList<string> cycle) =>
        Error("ODE0107", filePath, span, $"'let {name}' depends on itself: {string.Join(" → ", cycle)}. A 'let' may only use names whose values do not depend on it; break the cycle.");

    /// <summary>ODE0108 — <c>A model named '{name}' is already declared at line {line} of this file.</c></summary>
    public static OdeDiagnostic DuplicateModel(string filePath, SourceSpan span, string name, SourceSpan previous) =>
        Error("ODE0108", filePath, span, $"A model named {Q(name)} is already declared at {At(previous)} of this file. Rename one of them.");

    /// <summary>ODE0109 — <c>Unknown function '{name}'. Did you mean '{suggestion}'?</c> (or the list of functions)</summary>
    public static OdeDiagnostic UnknownFunction(string filePath, SourceSpan span, string name, string? suggestion, IEnumerable<string> known) =>
        Error("ODE0109", filePath, span, suggestion is null
            ? $"Unknown function {Q(name)}. The functions are {JoinWords(known)}, and the model's layers."
            : $"Unknown function {Q(name)}.{DidYouMean(suggestion)}");

    /// <summary>ODE0110 — <c>'{name}' is a {kind}, not a function or layer, so it cannot be called.</c></summary>
    public static OdeDiagnostic NotCallable(string filePath, SourceSpan span, string name, string kind) =>
        Error("ODE0110", filePath, span, $"{Q(name)} is a {kind}, not a function or layer, so it cannot be called. Use '*' to multiply.");

    /// <summary>ODE0111 — <c>Unknown initialiser '{name}'. Did you mean '{suggestion}'?</c> (or the list of initialisers)</summary>
    public static OdeDiagnostic UnknownInitializer(string filePath, SourceSpan span, string name, string? suggestion, IEnumerable<string> known) =>
        Error("ODE0111", filePath, span, suggestion is null
            ? $"Unknown initialiser {Q(name)}. The initialisers are {JoinWords(known)}."
            : $"Unknown initialiser {Q(name)}.{DidYouMean(suggestion)}");

    /// <summary>ODE0112 — <c>Unknown layer kind '{name}'; the only layer kind is 'linear(in, out)'.</c></summary>
    public static OdeDiagnostic UnknownLayerKind(string filePath, SourceSpan span, string name) =>
        Error("ODE0112", filePath, span, $"Unknown layer kind {Q(name)}; the only layer kind is 'linear(in, out)'.");

    /// <summary>ODE0113 — <c>'{name}' is a {kind} and must be called, as in '{name}(x)'.</c></summary>
    public static OdeDiagnostic CallableUsedAsValue(string filePath, SourceSpan span, string name, string kind, string hint) =>
        Error("ODE0113", filePath, span, $"{Q(name)} is a {kind} and must be called, as in '{name}(x)'{hint}.");

    /// <summary>ODE0114 — <c>Model '{name}' declares no state: add at least one 'state x;' and its equation.</c></summary>
    public static OdeDiagnostic NoState(string filePath, SourceSpan span, string name) =>
        Error("ODE0114", filePath, span, $"Model {Q(name)} declares no state: add at least one 'state x;' and its equation 'dx/dt = …;'.");

    /// <summary>ODE0115 — <c>'{name}' has no member '{member}'; a layer has '{name}.W' and '{name}.b'.</c></summary>
    public static OdeDiagnostic UnknownMember(string filePath, SourceSpan span, string name, string member, string kind) =>
        Error("ODE0115", filePath, span, kind == "layer"
            ? $"Layer {Q(name)} has no member {Q(member)}; a layer has '{name}.W' (weights) and '{name}.b' (bias)."
            : $"{Q(name)} is a {kind} and has no members; only layers do ('{name}.W', '{name}.b' for a layer named {Q(name)}).");

    /// <summary>ODE0116 — <c>The model '{name}' is already declared at {place}; …</c> (two files, or an .ode model and an [OdeModel] class)</summary>
    public static OdeDiagnostic DuplicateModelInProject(string filePath, SourceSpan span, string name, string previousName, string previousFile, SourceSpan previous) =>
        Error("ODE0116", filePath, span, name == previousName
            ? $"The model {Q(name)} is already declared in {previousFile} at {At(previous)}; a project may declare each model once (one class is generated per name). Rename one of them or put it in another namespace."
            : $"The model {Q(name)} differs only in case from {Q(previousName)}, declared in {previousFile} at {At(previous)}; their generated files would have the same name. Rename one of them.");

    /// <summary>ODE0117 — <c>'{name}' cannot name a model: {why}. Choose another name.</c></summary>
    public static OdeDiagnostic ModelNameTakenByCSharp(string filePath, SourceSpan span, string name, string why) =>
        Error("ODE0117", filePath, span, $"{Q(name)} cannot name a model: {why}. Choose another name.");

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
}
