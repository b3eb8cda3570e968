using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Jvp(t, y, v): the Jacobian–vector product (∂f/∂y)·v written out from the model's Jvp kernel (the compiler's
/// forward-mode pass), in <c>{Namespace}.{Model}.Jvp.g.cs</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The body computes only the forward values the tangents read (tanh′ reads <c>h</c>), not f itself.</item>
/// <item>Then each let's tangent <c>tangent_h</c> and each state's <c>jv_x</c>, commented with the statement they
/// differentiate and mapped to its .ode line. Values that depend only on parameters have no tangent: the tangent of
/// a first layer <c>W @ y</c> is <c>W @ v</c>.</item>
/// <item>Plain tensor ops: with autograd enabled the result is differentiable (a Jacobian regulariser trains through it).</item>
/// </list>
/// </remarks>
internal static class JvpWriter
{
    /// <summary>The Jvp method, indented for its place in the class.</summary>
    public static string Write(IrModel model, IrKernel jvp, ModelMembers members, ScalarCache scalars)
    {
        var kernel = new KernelWriter(model, jvp, members, scalars);
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        string tangent = kernel.Method.Claim(members.IsOdeName("v") ? "tangent" : "v");
        string size = CSharpLiterals.Int(model.StateSize);

        writer.Line($"/// <summary>The Jacobian–vector product (∂f/∂y)·<paramref name=\"{tangent}\"/> at (t, y), [B, {size}], written out by forward-mode differentiation (plain tensor ops: differentiable when autograd is on).</summary>");
        writer.Line($"/// <param name=\"{kernel.Time}\">The time: a scalar tensor, or one time per sample ([B]).</param>");
        writer.Line($"/// <param name=\"{kernel.Packed}\">The packed states ({kernel.StateLayout()}), [B, {size}].</param>");
        writer.Line($"/// <param name=\"{tangent}\">The tangent, [B, {size}], packed like the states.</param>");
        using (writer.OpenBlock($"public {TorchSharpNames.Tensor} Jvp({TorchSharpNames.Tensor} {kernel.Time}, {TorchSharpNames.Tensor} {kernel.Packed}, {TorchSharpNames.Tensor} {tangent})"))
        {
            kernel.WriteStateReads(writer);
            kernel.WriteTime(writer);
            kernel.WriteSeedInputs(writer, IrInputKind.Tangent, tangent, "tangent");
            kernel.WriteForwardStatements(writer);
            foreach (IrStatement statement in jvp.Statements.Where(statement => statement.Role == IrRole.Tangent))
            {
                string name = model.NameOf(statement.Of);
                kernel.WriteStatementComment(writer, statement.Origin, $"∂{name}·v through: ");
                kernel.WriteNamed(writer, statement.Value, kernel.Method.Claim("tangent_" + name), statement.Origin);
            }
            string[] products = model.States.Select((state, i) => Product(writer, kernel, model, jvp, i) ?? kernel.StateZeros(state)).ToArray();
            writer.Directive(LineDirectives.Hidden);
            writer.Line("return " + kernel.PackedResult(products) + ";");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }

    /// <summary><c>var jv_x = …;</c>: (∂f_x/∂y)·v under the equation it differentiates; null when f_x does not depend on the state.</summary>
    private static string? Product(SourceWriter writer, KernelWriter kernel, IrModel model, IrKernel jvp, int state)
    {
        if (jvp.Output(IrRole.Tangent, IrSymbol.State(state)) is not IrValue value)
            return null;
        string name = model.States[state].Name;
        IrOrigin origin = model.Forward.Statements.First(statement => statement.Role == IrRole.Derivative && statement.Of.Index == state).Origin;
        kernel.WriteStatementComment(writer, origin, $"∂(d{name}/dt)·v through: ");
        if (kernel.Local(value) is string local)
            return local;
        kernel.WriteNamed(writer, value, kernel.Method.Claim("jv_" + name), origin);
        return kernel.Local(value);
    }
}
