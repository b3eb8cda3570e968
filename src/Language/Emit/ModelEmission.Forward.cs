using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// forward(t, y): the model's right-hand side for a batch, lowered to as few TorchSharp ops as the math allows,
/// because at these sizes each op costs 1.5–3 µs of dispatch and the arithmetic is nearly free.
/// </summary>
/// <remarks>
/// Lowering choices:
/// <list type="bullet">
/// <item>All state columns come from one <c>y.unbind(1)</c> (views, no copies); the result is one <c>torch.stack(…, 1)</c>.</item>
/// <item>Parameters stay 0-dim tensors and broadcast, so gradients reach them; literals and constants are cached Scalars.</item>
/// <item><c>a ± b·c</c> becomes one <c>torch.addcmul</c> (or <c>add(…, alpha)</c> when a factor is a Scalar) when the
/// product has no other use; <c>x^2</c> becomes <c>square()</c>. Both are exact rewrites.</item>
/// <item><c>s − x</c>, <c>s / x</c>, <c>s ^ x</c> with a Scalar on the left have no single TorchSharp op: they take two,
/// chosen to round exactly like the written expression (never a reciprocal-multiply).</item>
/// <item>A node with several uses (after CSE) gets its own local; a node used once is inlined into its user.</item>
/// <item>No per-op <c>using</c>: the runtime wraps each evaluation in a DisposeScope that frees the intermediates.</item>
/// </list>
/// </remarks>
internal sealed partial class ModelEmission
{
    private string[] locals = System.Array.Empty<string>();
    private string timeParameter = "t";
    private string stateParameter = "y";

    private string WriteForward()
    {
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        timeParameter = names.Claim("t");
        // Lorenz has a state called y: then the packed parameter is called "packed" rather than y_2.
        stateParameter = names.Claim(odeLocals.ContainsKey("y") ? "packed" : "y");
        locals = new string[model.Nodes.Count];

        writer.Line("/// <summary>Evaluates dy/dt for a batch: <paramref name=\"" + stateParameter + "\"/> is [B, " + CSharpLiterals.Int(model.StateSize) + "], the result too.</summary>");
        writer.Line($"/// <param name=\"{timeParameter}\">The time, a scalar tensor.</param>");
        writer.Line($"/// <param name=\"{stateParameter}\">The packed states ({string.Join(", ", model.States.Select(s => s.Name))}), one row per sample.</param>");
        using (writer.OpenBlock($"public override {TorchSharpNames.Tensor} forward({TorchSharpNames.Tensor} {timeParameter}, {TorchSharpNames.Tensor} {stateParameter})"))
        {
            WriteStateColumns(writer);
            foreach (IrLet let in model.Lets)
                WriteLet(writer, let);
            string[] derivatives = model.Equations.Select(equation => WriteEquation(writer, equation)).ToArray();
            writer.Directive(LineDirectives.Hidden);
            writer.Line(derivatives.Length == 0
                ? $"return {TorchSharpNames.Torch}.zeros_like({stateParameter});"
                : $"return {TorchSharpNames.Torch}.stack(new[] {{ {string.Join(", ", derivatives)} }}, 1);");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }

    private void WriteStateColumns(SourceWriter writer)
    {
        List<(int Node, IrStateRead Read)> reads = model.Nodes
            .Select((node, index) => (index, node as IrStateRead))
            .Where(pair => pair.Item2 is not null)
            .Select(pair => (pair.index, pair.Item2!))
            .ToList();
        if (reads.Count == 0)
            return;
        string columns = names.Claim("columns");
        writer.Line($"// One unbind reads every state column: {string.Join(", ", model.States.Select(s => s.Name))}, each [B].");
        writer.Line($"var {columns} = {stateParameter}.unbind(1);");
        foreach ((int node, IrStateRead read) in reads.OrderBy(pair => pair.Read.State))
        {
            IrState state = model.States[read.State];
            locals[node] = odeLocals[state.Name];
            writer.Line($"var {locals[node]} = {columns}[{CSharpLiterals.Int(state.Offset)}];");
        }
    }

    private void WriteLet(SourceWriter writer, IrLet let)
    {
        WriteStatementComment(writer, let.Origin);
        if (analysis.IsHost[let.Value.Index])
        {
            writer.Line("// (no tensor work: computed from literals and constants in the constructor)");
            return;
        }
        string name = odeLocals[let.Name];
        string value = PrepareStatement(writer, let.Value, let.Origin);
        locals[let.Value.Index] ??= name;
        Mapped(writer, let.Origin, $"var {name} = {value};");
    }

    private string WriteEquation(SourceWriter writer, IrEquation equation)
    {
        IrState state = model.States[equation.State];
        WriteStatementComment(writer, equation.Origin);
        string name = names.Claim("d" + state.Name);
        string value;
        IrNode node = model[equation.Value];
        if (analysis.IsHost[equation.Value.Index])
            value = $"{TorchSharpNames.Torch}.full(new long[] {{ {stateParameter}.size(0) }}, {ScalarFor(equation.Value)}, dtype: {stateParameter}.dtype, device: {stateParameter}.device)";
        else if (!node.Type.Batched)
            value = PrepareStatement(writer, equation.Value, equation.Origin) + $".expand(new long[] {{ {stateParameter}.size(0) }})";
        else
            value = PrepareStatement(writer, equation.Value, equation.Origin);
        Mapped(writer, equation.Origin, $"var {name} = {value};");
        if (node.Type.Batched)
            locals[equation.Value.Index] ??= name;
        return name;
    }

    private void WriteStatementComment(SourceWriter writer, IrOrigin origin)
    {
        writer.Directive(LineDirectives.Hidden);
        writer.Line($"// {CommentText.Statement(origin.Source)}   ({fileName}, line {CSharpLiterals.Int(origin.Line)})");
    }

    /// <summary>Declares the shared nodes this statement reads first (each once, in graph order), then returns its expression.</summary>
    private string PrepareStatement(SourceWriter writer, IrValue value, IrOrigin origin)
    {
        foreach (int shared in SharedDependencies(value))
        {
            string name = names.Claim("common");
            string code = TensorCode(new IrValue(shared), inlineOnly: true);
            locals[shared] = name;
            Mapped(writer, origin, $"var {name} = {code};");
        }
        return TensorCode(value, inlineOnly: false);
    }

    /// <summary>Writes a line of the statement, preceded by the #line mapping it to the .ode line.</summary>
    private void Mapped(SourceWriter writer, IrOrigin origin, string line)
    {
        if (lineDirectivePath is not null)
            writer.Directive(LineDirectives.Map(origin.Line, writer.IndentWidth + 1, lineDirectivePath));
        writer.Line(line);
    }

    /// <summary>Unnamed tensor nodes with several uses that <paramref name="root"/> reads, operands first.</summary>
    private IEnumerable<int> SharedDependencies(IrValue root)
    {
        var seen = new HashSet<int>();
        var order = new SortedSet<int>();
        var stack = new Stack<int>();
        stack.Push(root.Index);
        while (stack.Count > 0)
        {
            int index = stack.Pop();
            if (!seen.Add(index) || locals[index] is not null || analysis.IsHost[index])
                continue;
            if (index != root.Index && analysis.UseCounts[index] > 1 && model.Nodes[index] is IrUnary or IrBinary or IrCall)
                order.Add(index);
            foreach (IrValue operand in model.Nodes[index].Operands)
                stack.Push(operand.Index);
        }
        // Node order is topological, so ascending indices declare operands before their users.
        return order;
    }

    /// <summary>The C# expression of a tensor node: its local if it has one, otherwise the op computing it.</summary>
    private string TensorCode(IrValue value, bool inlineOnly)
    {
        if (!inlineOnly && locals[value.Index] is string local)
            return local;
        IrNode node = model[value];
        return node switch
        {
            IrTime => timeParameter,
            IrStateRead => locals[value.Index] ?? throw new System.InvalidOperationException("State column not declared."),
            IrParameterRead read => "this." + parameterFields[read.Parameter],
            IrUnary unary => Operand(unary.Operand) + ".neg()",
            IrBinary binary => BinaryCode(binary),
            IrCall call => CallCode(call),
            _ => throw new System.InvalidOperationException($"No tensor lowering for {node.GetType().Name}."),
        };
    }

    private string Operand(IrValue value) => TensorCode(value, inlineOnly: false);

    private bool IsHost(IrValue value) => analysis.IsHost[value.Index];

    private string BinaryCode(IrBinary binary)
    {
        IrValue a = binary.Left, b = binary.Right;
        if (TryFusedMultiplyAdd(binary) is string fused)
            return fused;
        string method = binary.Operator switch
        {
            IrBinaryOperator.Add => "add",
            IrBinaryOperator.Subtract => "sub",
            IrBinaryOperator.Multiply => "mul",
            IrBinaryOperator.Divide => "div",
            _ => "pow",
        };
        if (!IsHost(a) && !IsHost(b))
            return $"{Operand(a)}.{method}({Operand(b)})";
        if (!IsHost(a))
        {
            if (binary.Operator == IrBinaryOperator.Power && model[b] is IrLiteral { Value: 2.0 })
                return Operand(a) + ".square()";
            return $"{Operand(a)}.{method}({ScalarFor(b)})";
        }
        // Scalar on the left.
        return binary.Operator switch
        {
            IrBinaryOperator.Add or IrBinaryOperator.Multiply => $"{Operand(b)}.{method}({ScalarFor(a)})",
            IrBinaryOperator.Subtract => $"{Operand(b)}.neg().add({ScalarFor(a)})",
            _ => $"{TorchSharpNames.Torch}.full_like({Operand(b)}, {ScalarFor(a)}).{method}({Operand(b)})",
        };
    }

    /// <summary><c>a + b·c</c>, <c>b·c + a</c>, <c>a − b·c</c> as one op, when the product is used nowhere else.</summary>
    private string? TryFusedMultiplyAdd(IrBinary binary)
    {
        if (binary.Operator is not (IrBinaryOperator.Add or IrBinaryOperator.Subtract))
            return null;
        bool subtract = binary.Operator == IrBinaryOperator.Subtract;
        (IrValue Addend, IrValue Product)? match =
            IsFusibleProduct(binary.Right) && !IsHost(binary.Left) ? (binary.Left, binary.Right)
            : !subtract && IsFusibleProduct(binary.Left) && !IsHost(binary.Right) ? (binary.Right, binary.Left)
            : null;
        if (match is not (IrValue addend, IrValue productValue))
            return null;
        var product = (IrBinary)model[productValue];
        IrValue b = product.Left, c = product.Right;
        if (!IsHost(b) && !IsHost(c))
            return $"{TorchSharpNames.Torch}.addcmul({Operand(addend)}, {Operand(b)}, {Operand(c)}, {LiteralScalar(subtract ? -1.0 : 1.0)})";
        (IrValue scalar, IrValue tensor) = IsHost(b) ? (b, c) : (c, b);
        string alpha = subtract ? NegatedScalarFor(scalar) : ScalarFor(scalar);
        return $"{Operand(addend)}.add({Operand(tensor)}, {alpha})";
    }

    private bool IsFusibleProduct(IrValue value) =>
        model[value] is IrBinary { Operator: IrBinaryOperator.Multiply } product
        && analysis.UseCounts[value.Index] == 1 && locals[value.Index] is null
        && !(IsHost(product.Left) && IsHost(product.Right));

    private string CallCode(IrCall call)
    {
        if (call.Function is IrFunction.Min or IrFunction.Max)
        {
            IrValue a = call.Arguments[0], b = call.Arguments[1];
            string clamp = call.Function == IrFunction.Min ? "clamp_max" : "clamp_min";
            if (IsHost(a))
                return $"{Operand(b)}.{clamp}({ScalarFor(a)})";
            if (IsHost(b))
                return $"{Operand(a)}.{clamp}({ScalarFor(b)})";
            string function = call.Function == IrFunction.Min ? "minimum" : "maximum";
            return $"{TorchSharpNames.Torch}.{function}({Operand(a)}, {Operand(b)})";
        }
        string method = call.Function switch
        {
            IrFunction.Exp => "exp",
            IrFunction.Log => "log",
            IrFunction.Sqrt => "sqrt",
            IrFunction.Abs => "abs",
            IrFunction.Sin => "sin",
            IrFunction.Cos => "cos",
            IrFunction.Tan => "tan",
            IrFunction.Tanh => "tanh",
            IrFunction.Sigmoid => "sigmoid",
            IrFunction.Relu => "relu",
            IrFunction.Softplus => "softplus",
            IrFunction.Elu => "elu",
            _ => throw new System.ArgumentOutOfRangeException(nameof(call)),
        };
        return $"{Operand(call.Arguments[0])}.{method}()";
    }
}
