using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// The model's cached <c>Scalar</c> fields. Host values (literals, constants, arithmetic on them) reach tensor ops as
/// Scalars; an implicit <c>double → Scalar</c> conversion inside forward() would allocate a native Scalar on every
/// call, which no dispose scope tracks, so each distinct value gets one field. Literals are static; anything
/// involving a constant is computed once in the constructor, where the constants arrive.
/// </summary>
internal sealed class ScalarCache
{
    private readonly IrModel model;
    private readonly NameScope names;
    private readonly Dictionary<string, ScalarField> byCode = new(System.StringComparer.Ordinal);
    private readonly List<ScalarField> fields = new();

    private sealed record ScalarField(string Name, string Code, bool IsStatic);

    /// <param name="model">The model whose constants the instance scalars read.</param>
    /// <param name="names">The class's names: each field claims one.</param>
    public ScalarCache(IrModel model, NameScope names)
    {
        this.model = model;
        this.names = names;
    }

    /// <summary>The cached Scalar holding a host node's value (or minus it).</summary>
    public string For(IrKernel kernel, IrValue value, bool negated = false)
    {
        if (kernel[value] is IrLiteral literal)
            return Literal(negated ? -literal.Value : literal.Value);
        string code = HostCode(kernel, value);
        string preferred = kernel[value] is IrConstantRead read ? "_" + model.Constants[read.Constant].Name : "_scalar" + CSharpLiterals.Int(fields.Count);
        return negated ? Instance("(-" + code + ")", "_minus" + preferred) : Instance(code, preferred);
    }

    /// <summary>The cached Scalar holding a literal number.</summary>
    public string Literal(double value)
    {
        string code = CSharpLiterals.Double(value);
        if (!byCode.TryGetValue(code, out ScalarField? field))
        {
            field = new ScalarField(names.Claim("Scalar_" + LiteralNamePart(code)), code, IsStatic: true);
            byCode.Add(code, field);
            fields.Add(field);
        }
        return field.Name;
    }

    /// <summary>The field declarations, one per cached Scalar, in the order they were first used.</summary>
    public void WriteFields(SourceWriter writer)
    {
        if (fields.Count == 0)
            return;
        writer.BlankLine();
        writer.Line("// Cached scalars: a double converted to a Scalar inside forward() or Vjp() would allocate a native object per call.");
        foreach (ScalarField field in fields)
        {
            writer.Line(field.IsStatic
                ? $"private static readonly {TorchSharpNames.Scalar} {field.Name} = {field.Code};"
                : $"private readonly {TorchSharpNames.Scalar} {field.Name};");
        }
    }

    /// <summary>The constructor's assignments of the instance Scalars (those computed from constants).</summary>
    public void WriteInitialisation(SourceWriter writer)
    {
        foreach (ScalarField field in fields.Where(field => !field.IsStatic))
            writer.Line($"this.{field.Name} = {field.Code};");
    }

    private string Instance(string code, string preferredName)
    {
        if (!byCode.TryGetValue(code, out ScalarField? field))
        {
            field = new ScalarField(names.Claim(preferredName), code, IsStatic: false);
            byCode.Add(code, field);
            fields.Add(field);
        }
        return "this." + field.Name;
    }

    /// <summary><c>1.0</c> → <c>1</c>, <c>-2.5</c> → <c>m2_5</c>, <c>1E-05</c> → <c>1em05</c>: a readable field name part.</summary>
    private static string LiteralNamePart(string code)
    {
        if (code.StartsWith("global::", System.StringComparison.Ordinal))
            return code.Substring(code.LastIndexOf('.') + 1);
        string part = code.EndsWith(".0", System.StringComparison.Ordinal) ? code.Substring(0, code.Length - 2) : code;
        return part.Replace("-", "m").Replace("+", "").Replace(".", "_").Replace("E", "e");
    }

    /// <summary>The C# <c>double</c> expression computing a host node from literals and the constructor's arguments.</summary>
    private string HostCode(IrKernel kernel, IrValue value) => kernel[value] switch
    {
        IrLiteral literal => CSharpLiterals.DoubleOperand(literal.Value),
        IrConstantRead read => CSharpNames.Escape(model.Constants[read.Constant].Name),
        IrUnary unary => "(-" + HostCode(kernel, unary.Operand) + ")",
        IrBinary { Operator: IrBinaryOperator.Power } power => $"{TorchSharpNames.Math}.Pow({HostCode(kernel, power.Left)}, {HostCode(kernel, power.Right)})",
        IrBinary binary => $"({HostCode(kernel, binary.Left)} {IrOperatorFacts.Symbol(binary.Operator)} {HostCode(kernel, binary.Right)})",
        IrCall call => HostCall(call.Function, call.Arguments.Select(argument => HostCode(kernel, argument)).ToArray()),
        _ => throw new System.InvalidOperationException($"Node {value} is not a host value."),
    };

    // The host formulas match the tensor code the printer writes (softplus exact and stable, like −log σ(−x)).
    private static string HostCall(IrFunction function, string[] a) => function switch
    {
        IrFunction.Exp => $"{TorchSharpNames.Math}.Exp({a[0]})",
        IrFunction.Log => $"{TorchSharpNames.Math}.Log({a[0]})",
        IrFunction.Sqrt => $"{TorchSharpNames.Math}.Sqrt({a[0]})",
        IrFunction.Abs => $"{TorchSharpNames.Math}.Abs({a[0]})",
        IrFunction.Sin => $"{TorchSharpNames.Math}.Sin({a[0]})",
        IrFunction.Cos => $"{TorchSharpNames.Math}.Cos({a[0]})",
        IrFunction.Tan => $"{TorchSharpNames.Math}.Tan({a[0]})",
        IrFunction.Tanh => $"{TorchSharpNames.Math}.Tanh({a[0]})",
        IrFunction.Sigmoid => $"(1.0 / (1.0 + {TorchSharpNames.Math}.Exp(-{a[0]})))",
        IrFunction.Relu => $"{TorchSharpNames.Math}.Max(0.0, {a[0]})",
        IrFunction.Softplus => $"({TorchSharpNames.Math}.Max({a[0]}, 0.0) + {TorchSharpNames.Math}.Log(1.0 + {TorchSharpNames.Math}.Exp(-{TorchSharpNames.Math}.Abs({a[0]}))))",
        IrFunction.Elu => $"({a[0]} > 0.0 ? {a[0]} : {TorchSharpNames.Math}.Exp({a[0]}) - 1.0)",
        IrFunction.Sinh => $"{TorchSharpNames.Math}.Sinh({a[0]})",
        IrFunction.Cosh => $"{TorchSharpNames.Math}.Cosh({a[0]})",
        IrFunction.Asinh => $"{TorchSharpNames.Math}.Asinh({a[0]})",
        IrFunction.Atanh => $"{TorchSharpNames.Math}.Atanh({a[0]})",
        IrFunction.Atan => $"{TorchSharpNames.Math}.Atan({a[0]})",
        IrFunction.Exp2 => $"{TorchSharpNames.Math}.Pow(2.0, {a[0]})",
        // What System.Math lacks: libtorch's kernels on a float64 scalar.
        IrFunction.Log1p => $"{TorchSharpNames.HostMath}.Log1p({a[0]})",
        IrFunction.Expm1 => $"{TorchSharpNames.HostMath}.Expm1({a[0]})",
        IrFunction.Erf => $"{TorchSharpNames.HostMath}.Erf({a[0]})",
        IrFunction.Gelu => $"{TorchSharpNames.HostMath}.Gelu({a[0]})",
        IrFunction.Silu => $"{TorchSharpNames.HostMath}.Silu({a[0]})",
        IrFunction.Min => $"{TorchSharpNames.Math}.Min({a[0]}, {a[1]})",
        IrFunction.Max => $"{TorchSharpNames.Math}.Max({a[0]}, {a[1]})",
        // A scalar's sum and mean are itself, its norm is its magnitude.
        IrFunction.Sum or IrFunction.Mean => a[0],
        IrFunction.Norm => $"{TorchSharpNames.Math}.Abs({a[0]})",
        IrFunction.Sign => $"(double){TorchSharpNames.Math}.Sign({a[0]})",
        _ => throw new System.ArgumentOutOfRangeException(nameof(function)),
    };
}
