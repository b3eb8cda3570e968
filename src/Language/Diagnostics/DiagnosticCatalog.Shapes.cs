namespace OdeDsl.Language;

// ODE02xx: shapes, argument counts and constant values.
public static partial class DiagnosticCatalog
{
    /// <summary>ODE0201 — <c>Shape mismatch in '{op}': {left} but {right}; {rule}.</c> Each side says its shape and where it came from.</summary>
    public static OdeDiagnostic ShapeMismatch(string filePath, SourceSpan span, string operation, string left, string right, string rule) =>
        Error("ODE0201", filePath, span, $"Shape mismatch in {operation}: {left} but {right}; {rule}.");

    /// <summary>ODE0202 — <c>'{name}' takes {n} argument(s) but was given {m}.</c></summary>
    public static OdeDiagnostic WrongArgumentCount(string filePath, SourceSpan span, string name, string expected, int given, string usage) =>
        Error("ODE0202", filePath, span, $"{Q(name)} takes {expected} but was given {Count(given)}: write {usage}.");

    /// <summary>ODE0203 — <c>The equation for state '{name}' has shape {actual}, but the state has shape {expected} (declared at line {l}).</c></summary>
    public static OdeDiagnostic EquationShapeMismatch(string filePath, SourceSpan span, string name, string actual, string expected, SourceSpan declared) =>
        Error("ODE0203", filePath, span, $"The equation for state {Q(name)} has shape {actual}, but the state has shape {expected} (declared at {At(declared)}). The right-hand side must have the state's shape.");

    /// <summary>ODE0204 — <c>Index {i} is out of range for '{text}' of shape {shape}; valid indices are 0 to {n-1}.</c> (or the slice form)</summary>
    public static OdeDiagnostic IndexOutOfRange(string filePath, SourceSpan span, string index, string target, string shape, int length) =>
        Error("ODE0204", filePath, span, length == 0
            ? $"Index {index} is out of range for {Q(target)} of shape {shape}."
            : $"Index {index} is out of range for {Q(target)} of shape {shape}; valid indices are 0 to {Count(length - 1)} (or -{Count(length)} to -1 from the end), and a slice needs start < end.");

    /// <summary>ODE0205 — <c>{what} must be a constant {kind}; '{text}' is not.</c></summary>
    /// <remarks>With <paramref name="constName"/> (the expression uses a const), the message says why a const does not count.</remarks>
    public static OdeDiagnostic NotConstant(string filePath, SourceSpan span, string what, string kind, string text, string? constName = null) =>
        Error("ODE0205", filePath, span, constName is null
            ? $"{what} must be a constant {kind} made of numbers and arithmetic; {Q(text)} is not."
            : $"{what} must be a constant {kind} made of numbers and arithmetic; {Q(text)} uses the const {Q(constName)}, which can be overridden when the model is created (each const is a constructor argument), so it cannot fix a size or an initial value the generated code is compiled with. Write the number itself.");

    /// <summary>ODE0206 — <c>{what} must be a positive integer; '{text}' is {value}.</c></summary>
    public static OdeDiagnostic InvalidDimension(string filePath, SourceSpan span, string what, string text, string value) =>
        Error("ODE0206", filePath, span, $"{what} must be a positive whole number; {Q(text)} is {value}.");

    /// <summary>ODE0207 — <c>'{text}' has shape {shape} and cannot be indexed; only vectors and matrices can.</c></summary>
    public static OdeDiagnostic NotIndexable(string filePath, SourceSpan span, string target, string shape) =>
        Error("ODE0207", filePath, span, $"{Q(target)} has shape {shape} and cannot be indexed; only vectors and matrices can.");

    /// <summary>ODE0208 — <c>'[…; …]' joins scalars and vectors; '{part}' has shape {shape}.</c></summary>
    public static OdeDiagnostic InvalidConcatenationPart(string filePath, SourceSpan span, string part, string shape) =>
        Error("ODE0208", filePath, span, $"'[a; b]' joins scalars and vectors, but {Q(part)} has shape {shape}. Index or reshape it first.");

    /// <summary>ODE0209 — <c>'{fn}' expects {what}; '{text}' has shape {shape}.</c></summary>
    public static OdeDiagnostic InvalidArgumentShape(string filePath, SourceSpan span, string function, string expected, string argument, string shape) =>
        Error("ODE0209", filePath, span, $"{Q(function)} expects {expected}, but {Q(argument)} has shape {shape}.");

    /// <summary>ODE0210 — <c>Layer '{name}' expects an input of shape ({in}) (linear({in}, {out}) at line {l}), but '{text}' has shape {shape}.</c></summary>
    public static OdeDiagnostic LayerInputMismatch(string filePath, SourceSpan span, string layer, int inFeatures, int outFeatures, SourceSpan declared, string argument, string shape) =>
        Error("ODE0210", filePath, span, $"Layer {Q(layer)} expects an input of shape ({Count(inFeatures)}) (declared 'linear({Count(inFeatures)}, {Count(outFeatures)})' at {At(declared)}), but {Q(argument)} has shape {shape}.");

    /// <summary>ODE0211 — <c>The initialiser of param '{name}' gives the value {value}, which is not a finite number.</c></summary>
    public static OdeDiagnostic NotFinite(string filePath, SourceSpan span, string what, string text) =>
        Error("ODE0211", filePath, span, $"{what} {Q(text)} does not evaluate to a finite number (it divides by zero or overflows).");

    /// <summary>ODE0212 — <c>'{name}' has {n} dimensions; shapes have at most 2 (a matrix).</c></summary>
    public static OdeDiagnostic TooManyDimensions(string filePath, SourceSpan span, string name, int count) =>
        Error("ODE0212", filePath, span, $"{Q(name)} has {Count(count)} dimensions; shapes have at most 2: '[n]' for a vector, '[m, n]' for a matrix.");

    /// <summary>ODE0213 — <c>Invalid arguments for '{usage}': {problem}.</c> (a negative standard deviation, reversed bounds)</summary>
    public static OdeDiagnostic InvalidInitializerArguments(string filePath, SourceSpan span, string usage, string problem) =>
        Error("ODE0213", filePath, span, $"Invalid arguments for {Q(usage)}: {problem}.");

    /// <summary>ODE0214 — <c>Flow '{name}' {problem}; a flow transforms one sample: declare exactly one vector state, such as 'state z[2];'.</c></summary>
    public static OdeDiagnostic FlowStateNotOneVector(string filePath, SourceSpan span, string flow, string problem) =>
        Error("ODE0214", filePath, span, $"Flow {Q(flow)} {problem}; a flow transforms one sample: declare exactly one vector state, such as 'state z[2];'.");
}
