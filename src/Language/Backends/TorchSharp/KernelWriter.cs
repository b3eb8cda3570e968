using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Writes the body of one kernel's method: reads its inputs off the packed tensors, writes its statements with the
/// shared values each needs first, and packs results. The method writers (<see cref="ForwardWriter"/>,
/// <see cref="VjpWriter"/>) add their signature and what is theirs; <see cref="TorchSharpPrinter"/> prints each op.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The kernel is first rewritten for the target (<see cref="TorchSharpFusion"/>); the unfused kernel, whose
/// node indices are the same, is what comments quote.</item>
/// <item>Scalar states come from one <c>y.unbind(1)</c>, the others as <c>narrow</c> views (or <c>y</c> itself);
/// the result is one <c>torch.stack(…, 1)</c> or <c>torch.cat(…, 1)</c>, or the derivative itself for a single state.</item>
/// <item>The time is a scalar tensor or one time per sample (<c>[B]</c>, per-sample stepping): the method first makes it
/// <c>[B]</c> with <c>t.expand(B)</c>, a view, so it is a batched scalar like a scalar state.</item>
/// <item>A batched scalar (<c>[B]</c>) meeting a vector becomes a column <c>[B, 1]</c> with <c>unsqueeze(1)</c>, kept in
/// a local when several operations need it.</item>
/// <item>A node with several uses gets its own local; a node used once is inlined into its user.</item>
/// <item>No per-op <c>using</c>: the runtime wraps each evaluation in a DisposeScope that frees the intermediates.</item>
/// </list>
/// </remarks>
internal sealed class KernelWriter : IOperandCode
{
    private readonly IrModel model;
    private readonly ModelMembers members;
    private readonly ScalarCache scalars;
    private readonly TorchSharpPrinter printer;
    private readonly string fileName;
    private readonly string? lineDirectivePath;
    private readonly string?[] locals;
    private readonly string?[] columnLocals;

    public KernelWriter(IrModel model, IrKernel kernel, ModelMembers members, ScalarCache scalars)
    {
        this.model = model;
        this.members = members;
        this.scalars = scalars;
        Source = kernel;
        Kernel = TorchSharpFusion.Run(model, kernel);
        Facts = new GraphFacts(model, Kernel);
        printer = new TorchSharpPrinter(model, Kernel, Facts, this);
        fileName = CommentText.FileName(model.SourcePath);
        lineDirectivePath = LineDirectives.IsUsablePath(model.SourcePath) ? model.SourcePath : null;
        locals = new string?[Kernel.Nodes.Count];
        columnLocals = new string?[Kernel.Nodes.Count];
        Method = members.Names.ForMethod();
        Time = Method.Claim("t");
        // Lorenz has a state called y: then the packed parameter is called "packed" rather than y_2.
        Packed = Method.Claim(members.IsOdeName("y") ? "packed" : "y");
    }

    /// <summary>The kernel as written: fused for TorchSharp.</summary>
    public IrKernel Kernel { get; }

    /// <summary>The kernel as the compiler derived it (same node indices), for comments.</summary>
    public IrKernel Source { get; }

    public GraphFacts Facts { get; }

    /// <summary>The method's name scope.</summary>
    public NameScope Method { get; }

    /// <summary>The time parameter.</summary>
    public string Time { get; }

    /// <summary>The packed state parameter, [B, D].</summary>
    public string Packed { get; }

    /// <summary>The source file's name, as comments quote it.</summary>
    public string FileName => fileName;

    /// <summary>The local holding a node, if it has one yet.</summary>
    public string? Local(IrValue value) => locals[value.Index];

    public void Name(IrValue value, string local) => locals[value.Index] = local;

    /// <summary>The states and their shapes, as the documentation lists them: <c>x, y, z</c> or <c>z[2]</c>.</summary>
    public string StateLayout() => string.Join(", ", model.States.Select(state =>
        state.Shape.IsScalar ? state.Name : state.Name + "[" + string.Join(", ", state.Shape.Dimensions.Select(CSharpLiterals.Int)) + "]"));

    private bool AllStatesScalar => model.States.All(state => state.Shape.IsScalar);

    /// <summary>
    /// Reads the kernel's inputs of one kind off a packed [B, D] tensor, each into a local: one <c>unbind</c> when every
    /// state is a scalar, views otherwise.
    /// </summary>
    /// <param name="writer">The method body.</param>
    /// <param name="kind">State or Cotangent (the time is <see cref="WriteTime"/>).</param>
    /// <param name="packed">The packed parameter to read.</param>
    /// <param name="columnsName">The preferred name of the unbind's result.</param>
    /// <param name="unbindComment">The comment above an unbind.</param>
    /// <param name="viewsComment">The comment above views.</param>
    /// <param name="localName">The local of each state's columns.</param>
    public void WriteInputs(SourceWriter writer, IrInputKind kind, string packed, string columnsName, string unbindComment, string viewsComment, System.Func<IrState, string> localName)
    {
        List<(IrValue Node, IrInput Input)> inputs = Kernel.Inputs.Where(input => input.Input.Kind == kind).OrderBy(input => input.Input.State).ToList();
        if (inputs.Count == 0)
            return;
        string? columns = null;
        if (AllStatesScalar)
        {
            columns = Method.Claim(columnsName);
            writer.Line(unbindComment);
            writer.Line($"var {columns} = {packed}.unbind(1);");
        }
        else
        {
            writer.Line(viewsComment);
        }
        foreach ((IrValue node, IrInput input) in inputs)
        {
            IrState state = model.States[input.State];
            locals[node.Index] = localName(state);
            string code = columns is not null ? $"{columns}[{CSharpLiterals.Int(state.Offset)}]" : StateView(state, packed);
            writer.Line($"var {locals[node.Index]} = {code};");
            DeclareColumn(writer, node.Index, origin: null);
        }
    }

    /// <summary>The states, each in the local of its .ode name.</summary>
    public void WriteStateReads(SourceWriter writer) =>
        WriteInputs(writer, IrInputKind.State, Packed, "columns",
            $"// One unbind reads every state column: {string.Join(", ", model.States.Select(s => s.Name))}, each [B].",
            $"// The states as views of the packed columns: {StateLayout()}.",
            state => members.Local(state.Name));

    /// <summary>
    /// A seed packed like the states (the Vjp's cotangent, the Jvp's tangent), each state's columns in a local named
    /// after the parameter and the state (<c>a_x</c>, <c>v_x</c>).
    /// </summary>
    /// <param name="writer">The method body.</param>
    /// <param name="kind">Cotangent or Tangent.</param>
    /// <param name="packed">The seed's parameter.</param>
    /// <param name="noun">What comments call it: <c>cotangent</c>, <c>tangent</c>.</param>
    public void WriteSeedInputs(SourceWriter writer, IrInputKind kind, string packed, string noun)
    {
        string stem = packed.TrimStart('@');
        WriteInputs(writer, kind, packed, stem + "Columns",
            $"// The {noun} per state, like the states: {string.Join(", ", model.States.Select(s => s.Name))}.",
            $"// The {noun} per state, as views of its columns: {StateLayout()}.",
            state => Method.Claim(stem + "_" + state.Name));
    }

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

    /// <summary>
    /// The seed of a Jacobian kernel: each state's columns of the D×D identity, one row per direction, the same for
    /// every sample.
    /// </summary>
    public void WriteBasis(SourceWriter writer)
    {
        List<(IrValue Node, IrInput Input)> inputs = Kernel.Inputs.Where(input => input.Input.Kind == IrInputKind.Basis).OrderBy(input => input.Input.State).ToList();
        if (inputs.Count == 0)
            return;
        string identity = Method.Claim("identity");
        writer.Line($"// The directions: row j of the {CSharpLiterals.Int(model.StateSize)}×{CSharpLiterals.Int(model.StateSize)} identity is ∂y/∂y_j; each state's columns of it, [D, …].");
        writer.Line($"var {identity} = {TorchSharpNames.Torch}.eye({CSharpLiterals.Int(model.StateSize)}, dtype: {Packed}.dtype, device: {Packed}.device);");
        foreach ((IrValue node, IrInput input) in inputs)
        {
            IrState state = model.States[input.State];
            locals[node.Index] = Method.Claim("e_" + state.Name);
            int size = state.Shape.ElementCount;
            string code = state.Shape.IsScalar
                ? $"{identity}.select(1, {CSharpLiterals.Int(state.Offset)})"
                : size == model.StateSize ? identity : $"{identity}.narrow(1, {CSharpLiterals.Int(state.Offset)}, {CSharpLiterals.Int(size)})";
            if (state.Shape.Rank > 1)
                code += $".unflatten(1, {string.Join(", ", state.Shape.Dimensions.Select(CSharpLiterals.Int))})";
            writer.Line($"var {locals[node.Index]} = {code};");
        }
    }

    public void WriteTime(SourceWriter writer)
    {
        int node = Kernel.Nodes.ToList().FindIndex(n => n is IrInput { Kind: IrInputKind.Time });
        if (node < 0)
            return;
        locals[node] = Method.Claim("time");
        writer.Line($"// The time per sample, [B]: a view of a scalar t, or t itself when each sample has its own.");
        writer.Line($"var {locals[node]} = {Time}.expand({printer.Batch});");
        DeclareColumn(writer, node, origin: null);
    }

    /// <summary>The kernel's lets and derivatives (its forward statements), in order; returns the derivatives' locals in state order.</summary>
    public string[] WriteForwardStatements(SourceWriter writer)
    {
        var derivatives = new string[model.States.Count];
        foreach (IrStatement statement in Kernel.Statements)
        {
            if (statement.Role == IrRole.Let)
                WriteLet(writer, statement);
            else if (statement.Role == IrRole.Derivative)
                derivatives[statement.Of.Index] = WriteEquation(writer, statement);
        }
        return derivatives;
    }

    private void WriteLet(SourceWriter writer, IrStatement let)
    {
        WriteStatementComment(writer, let.Origin);
        if (Facts.IsHost[let.Value.Index])
        {
            writer.Line("// (no tensor work: computed from literals and constants in the constructor)");
            return;
        }
        WriteNamed(writer, let.Value, members.Local(model.NameOf(let.Of)), let.Origin);
    }

    /// <summary><c>var name = …;</c> for a statement's value, its shared operands first; the value keeps the name unless it had one.</summary>
    public void WriteNamed(SourceWriter writer, IrValue value, string name, IrOrigin origin)
    {
        string code = PrepareStatement(writer, value, origin);
        bool named = locals[value.Index] is null;
        locals[value.Index] ??= name;
        Mapped(writer, origin, $"var {name} = {code};");
        if (named)
            DeclareColumn(writer, value.Index, origin);
    }

    private string WriteEquation(SourceWriter writer, IrStatement equation)
    {
        IrState state = model.States[equation.Of.Index];
        WriteStatementComment(writer, equation.Origin);
        string name = Method.Claim("d" + state.Name);
        string value;
        IrNode node = Kernel[equation.Value];
        if (Facts.IsHost[equation.Value.Index])
            value = printer.Filled(equation.Value, $"new long[] {{ {printer.Batch} }}");
        else if (!node.Type.Batched)
            value = PrepareStatement(writer, equation.Value, equation.Origin) + $".expand({printer.BatchedShape(node.Type.Shape)})";
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

    /// <summary>Per-state values packed into [B, D] in state order.</summary>
    public string PackedResult(string[] perState)
    {
        if (perState.Length == 0)
            return $"{TorchSharpNames.Torch}.zeros_like({Packed})";
        if (AllStatesScalar)
            return $"{TorchSharpNames.Torch}.stack(new[] {{ {string.Join(", ", perState)} }}, 1)";
        string[] columns = model.States.Select((state, i) => state.Shape.Rank switch
        {
            0 => perState[i] + ".unsqueeze(1)",
            1 => perState[i],
            _ => perState[i] + ".flatten(1)",
        }).ToArray();
        return columns.Length == 1 ? columns[0] : $"{TorchSharpNames.Torch}.cat(new[] {{ {string.Join(", ", columns)} }}, 1)";
    }

    /// <summary>The full layout of a value of <paramref name="type"/>, <c>[B?, D?, S…]</c>.</summary>
    public string Layout(IrType type) => printer.Layout(type);

    /// <summary>The batch size B.</summary>
    public string Batch => printer.Batch;

    /// <summary>Zeros shaped like one state's batch.</summary>
    public string StateZeros(IrState state) =>
        $"{TorchSharpNames.Torch}.zeros({printer.BatchedShape(state.Shape)}, dtype: {Packed}.dtype, device: {Packed}.device)";

    /// <summary><c>// source   (file, line n)</c>, after an optional lead-in such as <c>∂h·v through:</c>.</summary>
    public void WriteStatementComment(SourceWriter writer, IrOrigin origin, string leadIn = "")
    {
        writer.Directive(LineDirectives.Hidden);
        writer.Line($"// {leadIn}{CommentText.Statement(origin.Source)}   ({fileName}, line {CSharpLiterals.Int(origin.Line)})");
    }

    /// <summary>Declares the shared nodes this statement reads first (each once, in graph order), then returns its expression.</summary>
    private string PrepareStatement(SourceWriter writer, IrValue value, IrOrigin origin)
    {
        foreach (int shared in SharedDependencies(value))
            DeclareShared(writer, shared, Method.Claim("common"), origin);
        return Code(value);
    }

    /// <summary>Gives a shared node its local: <c>var name = op;</c>, mapped to the statement's line.</summary>
    public void DeclareShared(SourceWriter writer, int node, string name, IrOrigin origin)
    {
        string code = printer.Print(new IrValue(node));
        locals[node] = name;
        Mapped(writer, origin, $"var {name} = {code};");
        DeclareColumn(writer, node, origin);
    }

    /// <summary>Gives a batched scalar that several operations broadcast against vectors its [B, 1] column once.</summary>
    public void DeclareColumn(SourceWriter writer, int node, IrOrigin? origin)
    {
        if (Facts.ColumnUses[node] < 2 || columnLocals[node] is not null)
            return;
        string name = Method.Claim(locals[node]!.TrimStart('@') + "Column");
        string line = $"var {name} = {locals[node]}.unsqueeze(1);";
        if (origin is null)
            writer.Line(line);
        else
            Mapped(writer, origin, line);
        columnLocals[node] = name;
    }

    /// <summary>Writes a line of the statement, preceded by the #line mapping it to the .ode line.</summary>
    public void Mapped(SourceWriter writer, IrOrigin origin, string line)
    {
        if (lineDirectivePath is not null)
            writer.Directive(LineDirectives.Map(origin.Line, writer.IndentWidth + 1, lineDirectivePath));
        writer.Line(line);
    }

    /// <summary>Unnamed computed nodes with several uses that <paramref name="root"/> reads, operands first.</summary>
    public IEnumerable<int> SharedDependencies(IrValue root)
    {
        var seen = new HashSet<int>();
        var order = new SortedSet<int>();
        var stack = new Stack<int>();
        stack.Push(root.Index);
        while (stack.Count > 0)
        {
            int index = stack.Pop();
            if (!seen.Add(index) || locals[index] is not null || Facts.IsHost[index])
                continue;
            if (index != root.Index && Facts.UseCounts[index] > 1 && IsComputed(Kernel.Nodes[index]))
                order.Add(index);
            foreach (IrValue operand in Kernel.Nodes[index].Operands)
                stack.Push(operand.Index);
        }
        // Node order is topological, so ascending indices declare operands before their users.
        return order;
    }

    /// <summary>Nodes that cost an operation (reads of inputs and parameters, literals and constants do not).</summary>
    private static bool IsComputed(IrNode node) => node is not (IrInput or IrParameterRead or IrLiteral or IrConstantRead);

    /// <summary>The C# expression of a node: its local if it has one, otherwise the op computing it.</summary>
    public string Code(IrValue value) => locals[value.Index] ?? (Kernel[value] is IrInput
        ? throw new System.InvalidOperationException($"Input {value} not declared.")
        : printer.Print(value));

    string IOperandCode.Operand(IrValue value) => Code(value);

    /// <inheritdoc/>
    public string Broadcast(IrValue value, IrType result)
    {
        IrType type = Kernel[value].Type;
        int rank = result.Shape.Rank;
        if (!result.Directed)
        {
            if (rank == 0 || !type.Batched || !type.Shape.IsScalar)
                return Code(value);
            if (rank == 1)
                return columnLocals[value.Index] ?? Code(value) + ".unsqueeze(1)";
            return Code(value) + ".unsqueeze(1).unsqueeze(2)";
        }
        string code = Code(value);
        // One value for every direction: [B, S] → [B, 1, S]. Unbatched values broadcast from the right as they are.
        if (type.Batched && !type.Directed)
            code += ".unsqueeze(1)";
        // A scalar per sample or per direction against the elements of a vector or matrix.
        if (type.Shape.IsScalar && (type.Batched || type.Directed))
            code += string.Concat(Enumerable.Repeat(".unsqueeze(-1)", rank));
        return code;
    }

    string IOperandCode.Scalar(IrValue value, bool negated) => scalars.For(Kernel, value, negated);

    string IOperandCode.LiteralScalar(double value) => scalars.Literal(value);

    string IOperandCode.Parameter(int index) => members.ParameterCode(index);
}
