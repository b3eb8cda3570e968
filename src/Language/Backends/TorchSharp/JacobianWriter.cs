using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Jacobian(t, y) from the model's Jacobian kernel (forward mode along every basis direction at once), in
/// <c>{Namespace}.{Model}.Jacobian.g.cs</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A tangent along all D directions is one tensor <c>[B, D, …]</c> (row j: the derivative along e_j), so
/// every product is batched over the directions: one op per node, as in forward().</item>
/// <item>The seed, the identity, is the same for every sample: a tangent stays <c>[D, …]</c>, computed once for the
/// batch, until it meets a value that depends on the state. The Jacobian of a first layer <c>W @ y</c> is W itself
/// (one matrix product per evaluation, none per sample).</item>
/// <item>Plain tensor ops: differentiable when autograd is on.</item>
/// </list>
/// </remarks>
internal static class JacobianWriter
{
    /// <summary>The Jacobian method, indented for its place in the class.</summary>
    public static string Write(IrModel model, IrKernel jacobian, ModelMembers members, ScalarCache scalars)
    {
        var kernel = new KernelWriter(model, jacobian, members, scalars);
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        string size = CSharpLiterals.Int(model.StateSize);

        writer.Line($"/// <summary>The Jacobian ∂f/∂y at (t, y), [B, {size}, {size}]: element [b, i, j] is ∂f_i/∂y_j for sample b. Written out by forward-mode differentiation along all {size} directions at once (plain tensor ops: differentiable when autograd is on).</summary>");
        writer.Line($"/// <param name=\"{kernel.Time}\">The time: a scalar tensor, or one time per sample ([B]).</param>");
        writer.Line($"/// <param name=\"{kernel.Packed}\">The packed states ({kernel.StateLayout()}), [B, {size}].</param>");
        using (writer.OpenBlock($"public {TorchSharpNames.Tensor} Jacobian({TorchSharpNames.Tensor} {kernel.Time}, {TorchSharpNames.Tensor} {kernel.Packed})"))
        {
            kernel.WriteStateReads(writer);
            kernel.WriteTime(writer);
            kernel.WriteBasis(writer);
            kernel.WriteForwardStatements(writer);
            foreach (IrStatement statement in jacobian.Statements.Where(statement => statement.Role == IrRole.Tangent))
            {
                string name = model.NameOf(statement.Of);
                kernel.WriteStatementComment(writer, statement.Origin, $"∂{name}/∂y through: ");
                kernel.WriteNamed(writer, statement.Value, kernel.Method.Claim("jacobian_" + name), statement.Origin);
            }
            string[] columns = model.States.Select((state, i) => Columns(writer, kernel, model, jacobian, i)).ToArray();
            writer.Directive(LineDirectives.Hidden);
            writer.Line("// Row j of the directions holds ∂f/∂y_j: the state's columns side by side are the transposed Jacobian.");
            string joined = columns.Length == 1 ? columns[0] : $"{TorchSharpNames.Torch}.cat(new[] {{ {string.Join(", ", columns)} }}, 2)";
            writer.Line($"return {joined}.transpose(1, 2);");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }

    /// <summary>
    /// ∂f_i/∂y along every direction as [B, D, n_i] (n_i the state's size): under the equation it differentiates,
    /// expanded over the batch where it does not depend on the sample; zeros where f_i does not depend on the state.
    /// </summary>
    private static string Columns(SourceWriter writer, KernelWriter kernel, IrModel model, IrKernel jacobian, int index)
    {
        IrState state = model.States[index];
        string size = CSharpLiterals.Int(model.StateSize), width = CSharpLiterals.Int(state.Shape.ElementCount);
        if (jacobian.Output(IrRole.Tangent, IrSymbol.State(index)) is not IrValue value)
            return $"{TorchSharpNames.Torch}.zeros(new long[] {{ {kernel.Batch}, {size}, {width} }}, dtype: {kernel.Packed}.dtype, device: {kernel.Packed}.device)";
        IrOrigin origin = model.Forward.Statements.First(statement => statement.Role == IrRole.Derivative && statement.Of.Index == index).Origin;
        kernel.WriteStatementComment(writer, origin, $"∂(d{state.Name}/dt)/∂y through: ");
        string local = kernel.Local(value) ?? WriteLocal(writer, kernel, value, "jacobian_d" + state.Name, origin);
        IrType type = jacobian[value].Type;
        string columns = state.Shape.Rank switch
        {
            0 => local + ".unsqueeze(2)",
            1 => local,
            _ => local + ".flatten(2)",
        };
        if (!type.Batched)
        {
            // The same for every sample: one [D, n] computed once, viewed across the batch.
            string unbatched = state.Shape.Rank switch { 0 => local + ".unsqueeze(1)", 1 => local, _ => local + ".flatten(1)" };
            columns = $"{unbatched}.expand({kernel.Batch}, {size}, {width})";
        }
        return columns;
    }

    private static string WriteLocal(SourceWriter writer, KernelWriter kernel, IrValue value, string name, IrOrigin origin)
    {
        kernel.WriteNamed(writer, value, kernel.Method.Claim(name), origin);
        return kernel.Local(value)!;
    }
}
