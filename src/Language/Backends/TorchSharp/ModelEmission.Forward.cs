using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// forward(t, y): the model's right-hand side for a batch, lowered to as few TorchSharp ops as the math allows,
/// because at these sizes each op costs 1.5–3 µs of dispatch and the arithmetic is nearly free.
/// </summary>
/// <remarks>
/// Layout of values: a batched value of per-sample shape S is a tensor <c>[B, S…]</c>; an unbatched one (a
/// parameter, or computed from parameters only) is <c>[S…]</c>; a host value (literals, constants) is a cached
/// Scalar. Operations therefore work on the batch at once: <c>W @ v</c> is one <c>linear</c> (fusing a following
/// <c>+ b</c>), reductions run over the feature axes, indexing selects along axis 1.
/// Lowering choices:
/// <list type="bullet">
/// <item>Scalar states come from one <c>y.unbind(1)</c>, the others as <c>narrow</c> views (or <c>y</c> itself);
/// the result is one <c>torch.stack(…, 1)</c> or <c>torch.cat(…, 1)</c>, or the derivative itself for a single state.</item>
/// <item>The time is a scalar tensor or one time per sample (<c>[B]</c>, per-sample stepping): forward first makes it
/// <c>[B]</c> with <c>t.expand(B)</c>, a view, so it is a batched scalar like a scalar state in every rule below.</item>
/// <item>A batched scalar (<c>[B]</c>) meeting a vector becomes a column <c>[B, 1]</c> with <c>unsqueeze(1)</c>, kept in
/// a local when several operations need it.</item>
/// <item>Parameters stay tensors, so gradients reach them; literals and constants are cached Scalars.</item>
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
    private string?[] columnLocals = System.Array.Empty<string?>();
    private string timeParameter = "t";
    private string stateParameter = "y";

    /// <summary>The batch size B, read from the packed state.</summary>
    private string Batch => stateParameter + ".size(0)";

    private string WriteForward()
    {
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        BeginMethod();

        writer.Line("/// <summary>Evaluates dy/dt for a batch: <paramref name=\"" + stateParameter + "\"/> is [B, " + CSharpLiterals.Int(model.StateSize) + "], the result too.</summary>");
        writer.Line($"/// <param name=\"{timeParameter}\">The time: a scalar tensor, or one time per sample ([B]) when each sample takes its own steps.</param>");
        writer.Line($"/// <param name=\"{stateParameter}\">The packed states ({StateLayout()}), one row per sample.</param>");
        using (writer.OpenBlock($"public override {TorchSharpNames.Tensor} forward({TorchSharpNames.Tensor} {timeParameter}, {TorchSharpNames.Tensor} {stateParameter})"))
        {
            WriteStateReads(writer);
            WriteTime(writer);
            string[] derivatives = WriteForwardStatements(writer);
            writer.Directive(LineDirectives.Hidden);
            writer.Line("return " + PackedResult(derivatives) + ";");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }

    /// <summary>The kernel's lets and derivatives (its forward statements), in order; returns the derivatives' locals in state order.</summary>
    private string[] WriteForwardStatements(SourceWriter writer)
    {
        var derivatives = new string[model.States.Count];
        foreach (IrStatement statement in kernel.Statements)
        {
            if (statement.Role == IrRole.Let)
                WriteLet(writer, statement);
            else if (statement.Role == IrRole.Derivative)
                derivatives[statement.Of.Index] = WriteEquation(writer, statement);
        }
        return derivatives;
    }

    /// <summary>Starts a method: a fresh scope for its locals, its (t, y) parameters, no node computed yet.</summary>
    private void BeginMethod()
    {
        method = names.ForMethod();
        timeParameter = method.Claim("t");
        // Lorenz has a state called y: then the packed parameter is called "packed" rather than y_2.
        stateParameter = method.Claim(odeLocals.ContainsKey("y") ? "packed" : "y");
        locals = new string[kernel.Nodes.Count];
        columnLocals = new string?[kernel.Nodes.Count];
    }

    private string StateLayout() => string.Join(", ", model.States.Select(state =>
        state.Shape.IsScalar ? state.Name : state.Name + "[" + string.Join(", ", state.Shape.Dimensions.Select(CSharpLiterals.Int)) + "]"));

    private bool AllStatesScalar => model.States.All(state => state.Shape.IsScalar);

    private void WriteStateReads(SourceWriter writer)
    {
        List<(IrValue Node, IrInput Read)> reads = Inputs(IrInputKind.State);
        if (reads.Count == 0)
            return;
        string? columns = null;
        if (AllStatesScalar)
        {
            columns = method.Claim("columns");
            writer.Line($"// One unbind reads every state column: {string.Join(", ", model.States.Select(s => s.Name))}, each [B].");
            writer.Line($"var {columns} = {stateParameter}.unbind(1);");
        }
        else
        {
            writer.Line($"// The states as views of the packed columns: {StateLayout()}.");
        }
        foreach ((IrValue node, IrInput read) in reads)
        {
            IrState state = model.States[read.State];
            locals[node.Index] = odeLocals[state.Name];
            string code = columns is not null ? $"{columns}[{CSharpLiterals.Int(state.Offset)}]" : StateView(state);
            writer.Line($"var {locals[node.Index]} = {code};");
            DeclareColumn(writer, node.Index, origin: null);
        }
    }

    /// <summary>The kernel's inputs of one kind, in state order.</summary>
    private List<(IrValue Node, IrInput Read)> Inputs(IrInputKind kind) =>
        kernel.Inputs.Where(input => input.Input.Kind == kind).OrderBy(input => input.Input.State).ToList();

    /// <summary>A state as a view of its columns of the packed state: [B], [B, n] or [B, m, n].</summary>
    private string StateView(IrState state) => StateView(state, stateParameter);

    /// <summary>A state's columns of a packed [B, D] tensor (the state, or the cotangent) as [B], [B, n] or [B, m, n].</summary>
    private string StateView(IrState state, string packed)
    {
        int size = state.Shape.ElementCount;
        if (state.Shape.IsScalar)
            return $"{packed}.select(1, {CSharpLiterals.Int(state.Offset)})";
        string columns = size == model.StateSize ? packed : $"{packed}.narrow(1, {CSharpLiterals.Int(state.Offset)}, {CSharpLiterals.Int(size)})";
        return state.Shape.Rank == 1
            ? columns
            : $"{columns}.unflatten(1, {string.Join(", ", state.Shape.Dimensions.Select(CSharpLiterals.Int))})";
    }

    private void WriteTime(SourceWriter writer)
    {
        int node = kernel.Nodes.ToList().FindIndex(n => n is IrInput { Kind: IrInputKind.Time });
        if (node < 0)
            return;
        locals[node] = method.Claim("time");
        writer.Line($"// The time per sample, [B]: a view of a scalar t, or t itself when each sample has its own.");
        writer.Line($"var {locals[node]} = {timeParameter}.expand({Batch});");
        DeclareColumn(writer, node, origin: null);
    }

    private void WriteLet(SourceWriter writer, IrStatement let)
    {
        WriteStatementComment(writer, let.Origin);
        if (analysis.IsHost[let.Value.Index])
        {
            writer.Line("// (no tensor work: computed from literals and constants in the constructor)");
            return;
        }
        string name = odeLocals[model.NameOf(let.Of)];
        string value = PrepareStatement(writer, let.Value, let.Origin);
        bool named = locals[let.Value.Index] is null;
        locals[let.Value.Index] ??= name;
        Mapped(writer, let.Origin, $"var {name} = {value};");
        if (named)
            DeclareColumn(writer, let.Value.Index, let.Origin);
    }

    private string WriteEquation(SourceWriter writer, IrStatement equation)
    {
        IrState state = model.States[equation.Of.Index];
        WriteStatementComment(writer, equation.Origin);
        string name = method.Claim("d" + state.Name);
        string value;
        IrNode node = kernel[equation.Value];
        if (analysis.IsHost[equation.Value.Index])
            value = $"{TorchSharpNames.Torch}.full(new long[] {{ {Batch} }}, {ScalarFor(equation.Value)}, dtype: {stateParameter}.dtype, device: {stateParameter}.device)";
        else if (!node.Type.Batched)
            value = PrepareStatement(writer, equation.Value, equation.Origin) + $".expand({BatchedShape(node.Type.Shape)})";
        else
            value = PrepareStatement(writer, equation.Value, equation.Origin);
        Mapped(writer, equation.Origin, $"var {name} = {value};");
        if (node.Type.Batched && locals[equation.Value.Index] is null)
        {
            locals[equation.Value.Index] = name;
            DeclareColumn(writer, equation.Value.Index, equation.Origin);
        }
        return name;
    }

    /// <summary>The derivatives packed into [B, D] in state order.</summary>
    private string PackedResult(string[] derivatives)
    {
        if (derivatives.Length == 0)
            return $"{TorchSharpNames.Torch}.zeros_like({stateParameter})";
        if (AllStatesScalar)
            return $"{TorchSharpNames.Torch}.stack(new[] {{ {string.Join(", ", derivatives)} }}, 1)";
        string[] columns = model.States.Select((state, i) => state.Shape.Rank switch
        {
            0 => derivatives[i] + ".unsqueeze(1)",
            1 => derivatives[i],
            _ => derivatives[i] + ".flatten(1)",
        }).ToArray();
        return columns.Length == 1 ? columns[0] : $"{TorchSharpNames.Torch}.cat(new[] {{ {string.Join(", ", columns)} }}, 1)";
    }

    /// <summary><c>B, n…</c>: the arguments of <c>expand</c> for a batched value of the given per-sample shape.</summary>
    private string BatchedShape(IrShape shape) =>
        shape.IsScalar ? $"new long[] {{ {Batch} }}" : $"new long[] {{ {Batch}, {string.Join(", ", shape.Dimensions.Select(CSharpLiterals.Int))} }}";

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
            string name = method.Claim("common");
            string code = TensorCode(new IrValue(shared), inlineOnly: true);
            locals[shared] = name;
            Mapped(writer, origin, $"var {name} = {code};");
            DeclareColumn(writer, shared, origin);
        }
        return TensorCode(value, inlineOnly: false);
    }

    /// <summary>Gives a batched scalar that several operations broadcast against vectors its [B, 1] column once.</summary>
    private void DeclareColumn(SourceWriter writer, int node, IrOrigin? origin)
    {
        if (analysis.ColumnUses[node] < 2 || columnLocals[node] is not null)
            return;
        string name = method.Claim(locals[node].TrimStart('@') + "Column");
        string line = $"var {name} = {locals[node]}.unsqueeze(1);";
        if (origin is null)
            writer.Line(line);
        else
            Mapped(writer, origin, line);
        columnLocals[node] = name;
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
            if (index != root.Index && analysis.UseCounts[index] > 1 && IsComputed(kernel.Nodes[index]))
                order.Add(index);
            foreach (IrValue operand in kernel.Nodes[index].Operands)
                stack.Push(operand.Index);
        }
        // Node order is topological, so ascending indices declare operands before their users.
        return order;
    }

    /// <summary>Nodes that cost an operation (reads of parameters, states and the time do not).</summary>
    private static bool IsComputed(IrNode node) =>
        node is IrUnary or IrBinary or IrCall or IrMatrixProduct or IrConcatenation or IrIndex or IrSlice
            or IrReduceBroadcast or IrBroadcast or IrOuterProduct or IrTranspose or IrComparison or IrPad or IrWhere;

    /// <summary>The C# expression of a tensor node: its local if it has one, otherwise the op computing it.</summary>
    private string TensorCode(IrValue value, bool inlineOnly)
    {
        if (!inlineOnly && locals[value.Index] is string local)
            return local;
        IrNode node = kernel[value];
        return node switch
        {
            IrInput => locals[value.Index] ?? throw new System.InvalidOperationException($"Input {value} not declared."),
            IrParameterRead read => ParameterCode(read.Parameter),
            IrUnary unary => Operand(unary.Operand) + ".neg()",
            IrBinary binary => BinaryCode(binary),
            IrCall call when IrOperatorFacts.IsReduction(call.Function) => ReductionCode(call),
            IrCall call => CallCode(call),
            IrMatrixProduct product => MatrixProductCode(product.Left, product.Right),
            IrConcatenation concatenation => ConcatenationCode(concatenation),
            IrIndex index => $"{Operand(index.Target)}.select({FeatureAxis(index.Target)}, {CSharpLiterals.Int(index.Index)})",
            IrSlice slice => $"{Operand(slice.Target)}.narrow({FeatureAxis(slice.Target)}, {CSharpLiterals.Int(slice.Start)}, {CSharpLiterals.Int(slice.End - slice.Start)})",
            IrReduceBroadcast reduce => ReduceBroadcastCode(reduce),
            IrBroadcast broadcast => BroadcastCode(broadcast),
            IrOuterProduct outer => OuterProductCode(outer),
            IrTranspose transpose => Operand(transpose.Operand) + (transpose.Type.Batched ? ".transpose(1, 2)" : ".t()"),
            IrComparison comparison => ComparisonCode(comparison),
            IrPad pad => PadCode(pad),
            IrWhere where => WhereCode(where),
            _ => throw new System.InvalidOperationException($"No tensor lowering for {node.GetType().Name}."),
        };
    }

    private string Operand(IrValue value) => TensorCode(value, inlineOnly: false);

    /// <summary>
    /// The operand as it broadcasts in an operation whose result has per-sample rank <paramref name="rank"/>: a
    /// batched scalar [B] must become [B, 1] (or [B, 1, 1]) to pair with the samples' rows rather than the columns.
    /// </summary>
    private string Broadcast(IrValue value, int rank)
    {
        IrType type = kernel[value].Type;
        if (rank == 0 || !type.Batched || !type.Shape.IsScalar)
            return Operand(value);
        if (rank == 1)
            return columnLocals[value.Index] ?? Operand(value) + ".unsqueeze(1)";
        return Operand(value) + ".unsqueeze(1).unsqueeze(2)";
    }

    /// <summary>The first per-sample axis of a value: 1 when it carries the batch, 0 otherwise.</summary>
    private string FeatureAxis(IrValue value) => kernel[value].Type.Batched ? "1" : "0";

    private bool IsHost(IrValue value) => analysis.IsHost[value.Index];
}
