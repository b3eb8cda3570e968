using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Differentiation;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Vjp(t, y, a): f(t, y) and its vector–Jacobian products aᵀ∂f/∂y, aᵀ∂f/∂θ, aᵀ∂f/∂t written out from the derivative
/// IR (<see cref="ReverseMode"/>), in <c>{Namespace}.{Model}.Vjp.g.cs</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The body first computes the forward statements exactly as forward() does: the reverse pass reads their
/// values (tanh′ reads <c>h</c>), so a forward value the reverse pass needs gets a local even where forward()
/// inlines it.</item>
/// <item>Then one block per forward statement, last to first, headed by a comment naming the adjoints it adds to and
/// quoting the statement, its lines mapped to the statement's .ode line. A block ends with the running sums it
/// completes (<c>grad_W2</c>, <c>grad_h</c>, …); a running sum whose previous value nothing else reads is updated
/// in place of its local (<c>grad_x = …</c>), otherwise it gets a new one.</item>
/// <item>A reverse value used several times gets a local (<c>grad</c> for a node's total adjoint, commented with
/// the node, <c>common</c> otherwise); everything else is inlined with the same fused forms as forward()
/// (<c>addcmul</c>, <c>linear</c>), and a parameter's gradient summed over the batch is one product where possible:
/// Σ_b g vᵀ is <c>g.t().mm(v)</c>, Σ_b u·v of two [B] columns is <c>u.dot(v)</c>.</item>
/// <item>No autograd graph: the body runs under <c>torch.no_grad()</c>, so nothing it returns requires grad.</item>
/// <item>Parameter gradients come in <c>parameters()</c> order, which is TorchSharp's registration order: a module's
/// own parameters first, then each layer's W and b (a layer is a child module). A parameter f does not read gets
/// zeros.</item>
/// <item>The time's adjoint is summed over the batch also when t holds one time per sample ([B]); it is null when f
/// does not read t.</item>
/// </list>
/// </remarks>
internal sealed partial class ModelEmission
{
    private string cotangentParameter = "a";
    private readonly Dictionary<AdjointTarget, (string Name, IrValue Value)> targetLocals = new();
    private readonly Dictionary<int, AdjointOfNode> adjointOfValue = new();
    private MathFormatter? math;

    private string WriteVjp(IrAdjoint adjoint)
    {
        model = adjoint.Graph;
        analysis = new GraphFacts(model);
        math = new MathFormatter(model);
        try
        {
            // A value that is the adjoint of several nodes (a + b passes g on unchanged) is named after the first, outermost.
            foreach (AdjointOfNode node in adjoint.NodeAdjoints)
            {
                if (!adjointOfValue.ContainsKey(node.Value.Index))
                    adjointOfValue[node.Value.Index] = node;
            }
            return WriteVjpMethod(adjoint);
        }
        finally
        {
            model = forwardModel;
            analysis = new GraphFacts(forwardModel);
        }
    }

    private string WriteVjpMethod(IrAdjoint adjoint)
    {
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        BeginMethod();
        cotangentParameter = method.Claim(odeLocals.ContainsKey("a") ? "cotangent" : "a");

        writer.Line("/// <summary>");
        writer.Line("/// The analytic vector–Jacobian products at (t, y) for the cotangent <paramref name=\"" + cotangentParameter + "\"/>, written out from the");
        writer.Line("/// model's derivative: f(t, y), aᵀ∂f/∂y, aᵀ∂f/∂θ for every parameter (summed over the batch, in <c>parameters()</c>");
        writer.Line("/// order) and aᵀ∂f/∂t (summed over the batch; null when f does not read t). No autograd graph is built.");
        writer.Line("/// </summary>");
        writer.Line($"/// <param name=\"{timeParameter}\">The time: a scalar tensor, or one time per sample ([B]); the time's adjoint is then the sum over the samples.</param>");
        writer.Line($"/// <param name=\"{stateParameter}\">The packed states ({StateLayout()}), [B, {CSharpLiterals.Int(model.StateSize)}].</param>");
        writer.Line($"/// <param name=\"{cotangentParameter}\">The cotangent, [B, {CSharpLiterals.Int(model.StateSize)}], packed like the states.</param>");
        string signature = $"public {TorchSharpNames.VjpResult} Vjp({TorchSharpNames.Tensor} {timeParameter}, {TorchSharpNames.Tensor} {stateParameter}, {TorchSharpNames.Tensor} {cotangentParameter})";
        using (writer.OpenBlock(signature))
        {
            string noGrad = method.Claim("noGrad");
            writer.Line("// No autograd graph: every derivative below is written out.");
            writer.Line($"using var {noGrad} = {TorchSharpNames.Torch}.no_grad();");
            WriteStateReads(writer);
            WriteTime(writer);
            WriteCotangentReads(writer);
            foreach (IrLet let in model.Lets)
                WriteLet(writer, let);
            string[] derivatives = model.Equations.Select(equation => WriteEquation(writer, equation)).ToArray();
            // A single vector state's derivative is f itself; otherwise f is packed once here.
            string dynamics = PackedResult(derivatives);
            if (!CSharpNames.IsValidIdentifier(dynamics.TrimStart('@')))
            {
                string packedName = method.Claim("dynamics");
                writer.Directive(LineDirectives.Hidden);
                writer.Line($"var {packedName} = {dynamics};");
                dynamics = packedName;
            }

            foreach (AdjointBlock block in adjoint.Blocks)
                WriteAdjointBlock(writer, block);

            writer.Directive(LineDirectives.Hidden);
            writer.Line($"return new {TorchSharpNames.VjpResult}({dynamics}, {StateAdjoint(adjoint)}, {ParameterGradients(adjoint)}, {TimeAdjoint(adjoint)});");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }

    private void WriteVjpClass(SourceWriter writer, string vjp)
    {
        writer.Line($"// The analytic adjoint of {CSharpNames.Escape(model.Name)}: see the model's .ode statements quoted in each block.");
        using (writer.OpenBlock($"public partial class {CSharpNames.Escape(model.Name)} : {TorchSharpNames.HasVjp}"))
            writer.Raw(vjp);
    }

    /// <summary>The cotangent's columns per state, read like the states: one unbind for scalar states, views otherwise.</summary>
    private void WriteCotangentReads(SourceWriter writer)
    {
        List<(int Node, IrCotangentRead Read)> reads = model.Nodes
            .Select((node, index) => (index, node as IrCotangentRead))
            .Where(pair => pair.Item2 is not null)
            .Select(pair => (pair.index, pair.Item2!))
            .OrderBy(pair => pair.Item2.State)
            .ToList();
        if (reads.Count == 0)
            return;
        string? columns = null;
        if (AllStatesScalar)
        {
            columns = method.Claim(cotangentParameter.TrimStart('@') + "Columns");
            writer.Line($"// The cotangent per state, like the states: {string.Join(", ", model.States.Select(s => s.Name))}.");
            writer.Line($"var {columns} = {cotangentParameter}.unbind(1);");
        }
        else
        {
            writer.Line($"// The cotangent per state, as views of its columns: {StateLayout()}.");
        }
        foreach ((int node, IrCotangentRead read) in reads)
        {
            IrState state = model.States[read.State];
            locals[node] = method.Claim(cotangentParameter.TrimStart('@') + "_" + state.Name);
            string code = columns is not null ? $"{columns}[{CSharpLiterals.Int(state.Offset)}]" : StateView(state, cotangentParameter);
            writer.Line($"var {locals[node]} = {code};");
            DeclareColumn(writer, node, origin: null);
        }
    }

    private void WriteAdjointBlock(SourceWriter writer, AdjointBlock block)
    {
        string targets = string.Join(", ", block.Statements.Select(statement => TargetDisplayName(statement.Target)).Distinct());
        writer.Directive(LineDirectives.Hidden);
        writer.Line($"// Adjoints of {targets} through: {CommentText.Statement(block.Origin.Source)}   ({fileName}, line {CSharpLiterals.Int(block.Origin.Line)})");
        foreach (AdjointStatement statement in block.Statements)
            WriteRunningSum(writer, statement, block.Origin);
    }

    /// <summary><c>var grad_x = …;</c>, or <c>grad_x = …;</c> when the previous sum is read by nothing else.</summary>
    private void WriteRunningSum(SourceWriter writer, AdjointStatement statement, IrOrigin origin)
    {
        IrValue value = statement.Value;
        foreach (int shared in SharedDependencies(value))
        {
            string name;
            if (adjointOfValue.TryGetValue(shared, out AdjointOfNode? node))
            {
                name = method.Claim("grad");
                writer.Directive(LineDirectives.Hidden);
                writer.Line($"// {(node.Negated ? "−" : "")}aᵀ∂f/∂({CommentText.Math(math!.Value(new IrValue(node.Node)))})");
            }
            else
            {
                name = method.Claim("common");
            }
            string code = TensorCode(new IrValue(shared), inlineOnly: true);
            locals[shared] = name;
            Mapped(writer, origin, $"var {name} = {code};");
            DeclareColumn(writer, shared, origin);
        }

        string expression = TensorCode(value, inlineOnly: false);
        string local;
        // The target's local may take the new sum when nothing reads its old value any more: it only named another
        // node's local (an alias such as grad_r = a_y), or it holds a node whose one reader is this new sum.
        if (targetLocals.TryGetValue(statement.Target, out (string Name, IrValue Value) previous) && locals[value.Index] is null
            && (locals[previous.Value.Index] != previous.Name
                || (analysis.UseCounts[previous.Value.Index] == 1 && ReadsInline(value, previous.Value))))
        {
            local = previous.Name;
            Mapped(writer, origin, $"{local} = {expression};");
        }
        else
        {
            local = method.Claim(TargetLocalName(statement.Target));
            Mapped(writer, origin, $"var {local} = {expression};");
        }
        if (locals[value.Index] is null)
        {
            locals[value.Index] = local;
            DeclareColumn(writer, value.Index, origin);
        }
        targetLocals[statement.Target] = (local, value);
    }

    /// <summary>Whether the code of <paramref name="root"/> reads <paramref name="value"/> (through inlined nodes only).</summary>
    private bool ReadsInline(IrValue root, IrValue value)
    {
        var stack = new Stack<IrValue>(model[root].Operands);
        while (stack.Count > 0)
        {
            IrValue operand = stack.Pop();
            if (operand == value)
                return true;
            if (locals[operand.Index] is null)
            {
                foreach (IrValue next in model[operand].Operands)
                    stack.Push(next);
            }
        }
        return false;
    }

    private string TargetLocalName(AdjointTarget target) => "grad_" + target.Kind switch
    {
        AdjointTargetKind.State => model.States[target.Index].Name,
        AdjointTargetKind.Parameter => model.Parameters[target.Index].Name.Replace('.', '_'),
        AdjointTargetKind.Time => "t",
        AdjointTargetKind.Let => model.Lets[target.Index].Name,
        _ => locals[target.Index]?.TrimStart('@') ?? "node",
    };

    private string TargetDisplayName(AdjointTarget target) => target.Kind switch
    {
        AdjointTargetKind.State => model.States[target.Index].Name,
        AdjointTargetKind.Parameter => model.Parameters[target.Index].Name,
        AdjointTargetKind.Time => "t",
        AdjointTargetKind.Let => model.Lets[target.Index].Name,
        _ => "(" + CommentText.Math(math!.Value(new IrValue(target.Index))) + ")",
    };

    /// <summary>aᵀ∂f/∂y packed like the state; zeros for states f does not read.</summary>
    private string StateAdjoint(IrAdjoint adjoint)
    {
        string?[] names = model.States.Select((_, i) => ResultLocal(adjoint, AdjointTargetKind.State, i)).ToArray();
        if (names.All(name => name is null))
            return $"{TorchSharpNames.Torch}.zeros_like({stateParameter})";
        return PackedResult(names.Select((name, i) => name ?? StateZeros(model.States[i])).ToArray());
    }

    private string StateZeros(IrState state) =>
        $"{TorchSharpNames.Torch}.zeros({BatchedShape(state.Shape)}, dtype: {stateParameter}.dtype, device: {stateParameter}.device)";

    /// <summary>The parameters' gradients in <c>parameters()</c> order: the model's own, then each layer's W and b.</summary>
    private string ParameterGradients(IrAdjoint adjoint)
    {
        IEnumerable<int> own = Enumerable.Range(0, model.Parameters.Count).Where(i => model.Parameters[i].Layer is null);
        IEnumerable<int> layered = model.Layers.SelectMany(layer => new[] { "W", "b" }.Select(local =>
            Enumerable.Range(0, model.Parameters.Count).Single(i => model.Parameters[i].Layer == layer.Name && model.Parameters[i].LocalName == local)));
        string[] gradients = own.Concat(layered)
            .Select(i => ResultLocal(adjoint, AdjointTargetKind.Parameter, i) ?? $"{TorchSharpNames.Torch}.zeros_like({ParameterCode(i)})")
            .ToArray();
        return gradients.Length == 0
            ? $"global::System.Array.Empty<{TorchSharpNames.Tensor}>()"
            : $"new {TorchSharpNames.Tensor}[] {{ {string.Join(", ", gradients)} }}";
    }

    private string TimeAdjoint(IrAdjoint adjoint) =>
        adjoint.Result(AdjointTargetKind.Time, 0) is IrValue time ? TensorCode(time, inlineOnly: false) : "null";

    private string? ResultLocal(IrAdjoint adjoint, AdjointTargetKind kind, int index) =>
        adjoint.Result(kind, index) is IrValue && targetLocals.TryGetValue(new AdjointTarget(kind, index), out (string Name, IrValue Value) local)
            ? local.Name
            : null;
}
