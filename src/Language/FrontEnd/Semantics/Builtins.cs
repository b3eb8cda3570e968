using System.Collections.Generic;
using System.Linq;

namespace OdeDsl.Language.Semantics;

/// <summary>The built-in functions of the language (each has a derivative rule in the IR passes).</summary>
public enum BuiltinFunction
{
    Exp,
    Log,
    Sqrt,
    Abs,
    Sin,
    Cos,
    Tan,
    Tanh,
    Sigmoid,
    Relu,
    Softplus,
    Elu,
    Sinh,
    Cosh,
    Asinh,
    Atanh,
    Atan,
    Exp2,
    Log1p,
    Expm1,
    Erf,
    Gelu,
    Silu,
    Sign,
    /// <summary><c>x ^ 2</c>: binds as the power.</summary>
    Square,
    /// <summary><c>x ^ 3</c>: binds as the power.</summary>
    Cube,
    /// <summary><c>pow(x, y)</c> is <c>x ^ y</c>: binds as the power.</summary>
    Pow,
    /// <summary><c>clamp(x, lo, hi)</c> is <c>min(max(x, lo), hi)</c>: binds as those two calls.</summary>
    Clamp,
    Sum,
    Mean,
    Norm,
    Dot,
    Min,
    Max,
}

/// <summary>How a function's result shape follows from its arguments.</summary>
internal enum FunctionShapeRule
{
    /// <summary>One argument, same shape out.</summary>
    Elementwise,
    /// <summary>One argument, scalar out.</summary>
    Reduction,
    /// <summary>Two vectors of one length, scalar out.</summary>
    Dot,
    /// <summary>Two arguments, elementwise with scalar broadcasting.</summary>
    ElementwiseBinary,
    /// <summary>Three arguments, elementwise with scalar broadcasting (<c>clamp</c>).</summary>
    ElementwiseTernary,
}

internal sealed record FunctionInfo(string Name, BuiltinFunction Function, int Arity, FunctionShapeRule Rule);

/// <summary>The tables of built-in names: functions and parameter initialisers.</summary>
internal static class Builtins
{
    public static readonly IReadOnlyList<FunctionInfo> Functions = new[]
    {
        new FunctionInfo("exp", BuiltinFunction.Exp, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("log", BuiltinFunction.Log, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("sqrt", BuiltinFunction.Sqrt, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("abs", BuiltinFunction.Abs, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("sin", BuiltinFunction.Sin, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("cos", BuiltinFunction.Cos, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("tan", BuiltinFunction.Tan, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("tanh", BuiltinFunction.Tanh, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("sigmoid", BuiltinFunction.Sigmoid, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("relu", BuiltinFunction.Relu, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("softplus", BuiltinFunction.Softplus, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("elu", BuiltinFunction.Elu, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("sinh", BuiltinFunction.Sinh, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("cosh", BuiltinFunction.Cosh, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("asinh", BuiltinFunction.Asinh, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("atanh", BuiltinFunction.Atanh, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("atan", BuiltinFunction.Atan, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("exp2", BuiltinFunction.Exp2, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("log1p", BuiltinFunction.Log1p, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("expm1", BuiltinFunction.Expm1, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("erf", BuiltinFunction.Erf, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("gelu", BuiltinFunction.Gelu, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("silu", BuiltinFunction.Silu, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("sign", BuiltinFunction.Sign, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("square", BuiltinFunction.Square, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("cube", BuiltinFunction.Cube, 1, FunctionShapeRule.Elementwise),
        new FunctionInfo("pow", BuiltinFunction.Pow, 2, FunctionShapeRule.ElementwiseBinary),
        new FunctionInfo("clamp", BuiltinFunction.Clamp, 3, FunctionShapeRule.ElementwiseTernary),
        new FunctionInfo("sum", BuiltinFunction.Sum, 1, FunctionShapeRule.Reduction),
        new FunctionInfo("mean", BuiltinFunction.Mean, 1, FunctionShapeRule.Reduction),
        new FunctionInfo("norm", BuiltinFunction.Norm, 1, FunctionShapeRule.Reduction),
        new FunctionInfo("dot", BuiltinFunction.Dot, 2, FunctionShapeRule.Dot),
        new FunctionInfo("min", BuiltinFunction.Min, 2, FunctionShapeRule.ElementwiseBinary),
        new FunctionInfo("max", BuiltinFunction.Max, 2, FunctionShapeRule.ElementwiseBinary),
    };

    private static readonly Dictionary<string, FunctionInfo> FunctionsByName = Functions.ToDictionary(f => f.Name);

    public static FunctionInfo? Function(string name) => FunctionsByName.TryGetValue(name, out FunctionInfo? info) ? info : null;

    public static IEnumerable<string> FunctionNames => Functions.Select(f => f.Name);

    /// <summary>Initialisers after '~' and how many arguments each takes.</summary>
    public static readonly IReadOnlyList<(string Name, InitializerKind Kind, int Arity, string Usage)> Initializers = new[]
    {
        ("glorot", InitializerKind.Glorot, 0, "glorot"),
        ("kaiming", InitializerKind.Kaiming, 0, "kaiming"),
        ("zeros", InitializerKind.Zeros, 0, "zeros"),
        ("ones", InitializerKind.Ones, 0, "ones"),
        ("normal", InitializerKind.Normal, 2, "normal(mean, std)"),
        ("uniform", InitializerKind.Uniform, 2, "uniform(low, high)"),
        ("constant", InitializerKind.Constant, 1, "constant(value)"),
    };

    public const string LinearLayer = "linear";
}
