using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Host values (literals, constants, arithmetic on them) reach tensor ops as cached <c>Scalar</c>s. An implicit
/// <c>double → Scalar</c> conversion inside forward() would allocate a native Scalar on every call, which no
/// dispose scope tracks; caching them costs one field each. Literals are static; anything involving a constant is
/// computed once in the constructor, where the constants arrive.
/// </summary>
internal sealed partial class ModelEmission
{
    private GraphFacts analysis;
    private readonly Dictionary<string, ScalarField> scalarsByCode = new(System.StringComparer.Ordinal);
    private readonly List<ScalarField> scalars = new();

    private sealed record ScalarField(string Name, string Code, bool IsStatic);

    /// <summary>The cached Scalar holding a host node's value.</summary>
    private string ScalarFor(IrValue value) =>
        kernel[value] is IrLiteral literal ? LiteralScalar(literal.Value) : InstanceScalar(HostCode(value), PreferredScalarName(value));

    /// <summary>The cached Scalar holding minus a host node's value.</summary>
    private string NegatedScalarFor(IrValue value) =>
        kernel[value] is IrLiteral literal ? LiteralScalar(-literal.Value) : InstanceScalar("(-" + HostCode(value) + ")", "_minus" + PreferredScalarName(value));

    private string LiteralScalar(double value)
    {
        string code = CSharpLiterals.Double(value);
        if (!scalarsByCode.TryGetValue(code, out ScalarField? field))
        {
            field = new ScalarField(names.Claim("Scalar_" + LiteralNamePart(code)), code, IsStatic: true);
            scalarsByCode.Add(code, field);
            scalars.Add(field);
        }
        return field.Name;
    }

    private string InstanceScalar(string code, string preferredName)
    {
        if (!scalarsByCode.TryGetValue(code, out ScalarField? field))
        {
            field = new ScalarField(names.Claim(preferredName), code, IsStatic: false);
            scalarsByCode.Add(code, field);
            scalars.Add(field);
        }
        return "this." + field.Name;
    }

    private string PreferredScalarName(IrValue value) =>
        kernel[value] is IrConstantRead read ? "_" + model.Constants[read.Constant].Name : "_scalar" + CSharpLiterals.Int(scalars.Count);

    /// <summary><c>1.0</c> → <c>1</c>, <c>-2.5</c> → <c>m2_5</c>, <c>1E-05</c> → <c>1em05</c>: a readable field name part.</summary>
    private static string LiteralNamePart(string code)
    {
        if (code.StartsWith("global::", System.StringComparison.Ordinal))
            return code.Substring(code.LastIndexOf('.') + 1);
        string part = code.EndsWith(".0", System.StringComparison.Ordinal) ? code.Substring(0, code.Length - 2) : code;
        return part.Replace("-", "m").Replace("+", "").Replace(".", "_").Replace("E", "e");
    }

    /// <summary>The C# <c>double</c> expression computing a host node from literals and the constructor's arguments.</summary>
    private string HostCode(IrValue value)
    {
        IrNode node = kernel[value];
        return node switch
        {
            IrLiteral literal => CSharpLiterals.DoubleOperand(literal.Value),
            IrConstantRead read => CSharpNames.Escape(model.Constants[read.Constant].Name),
            IrUnary unary => "(-" + HostCode(unary.Operand) + ")",
            IrBinary { Operator: IrBinaryOperator.Power } power => $"{TorchSharpNames.Math}.Pow({HostCode(power.Left)}, {HostCode(power.Right)})",
            IrBinary binary => $"({HostCode(binary.Left)} {IrOperatorFacts.Symbol(binary.Operator)} {HostCode(binary.Right)})",
            IrCall call => HostCall(call.Function, call.Arguments.Select(HostCode).ToArray()),
            _ => throw new System.InvalidOperationException($"Node {value} is not a host value."),
        };
    }

    // The host formulas match TorchSharp's tensor functions (softplus with its default threshold of 20).
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
        IrFunction.Softplus => $"({a[0]} > 20.0 ? {a[0]} : {TorchSharpNames.Math}.Log(1.0 + {TorchSharpNames.Math}.Exp({a[0]})))",
        IrFunction.Elu => $"({a[0]} > 0.0 ? {a[0]} : {TorchSharpNames.Math}.Exp({a[0]}) - 1.0)",
        IrFunction.Min => $"{TorchSharpNames.Math}.Min({a[0]}, {a[1]})",
        IrFunction.Max => $"{TorchSharpNames.Math}.Max({a[0]}, {a[1]})",
        // A scalar's sum and mean are itself, its norm is its magnitude.
        IrFunction.Sum or IrFunction.Mean => a[0],
        IrFunction.Norm => $"{TorchSharpNames.Math}.Abs({a[0]})",
        IrFunction.Sign => $"(double){TorchSharpNames.Math}.Sign({a[0]})",
        _ => throw new System.ArgumentOutOfRangeException(nameof(function)),
    };

    private void WriteScalarFields(SourceWriter writer)
    {
        if (scalars.Count == 0)
            return;
        writer.BlankLine();
        writer.Line("// Cached scalars: a double converted to a Scalar inside forward() or Vjp() would allocate a native object per call.");
        foreach (ScalarField field in scalars)
        {
            writer.Line(field.IsStatic
                ? $"private static readonly {TorchSharpNames.Scalar} {field.Name} = {field.Code};"
                : $"private readonly {TorchSharpNames.Scalar} {field.Name};");
        }
    }

    private void WriteScalarInitialisation(SourceWriter writer)
    {
        foreach (ScalarField field in scalars.Where(field => !field.IsStatic))
            writer.Line($"this.{field.Name} = {field.Code};");
    }
}
