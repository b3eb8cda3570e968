using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Vjp(t, y, a): f(t, y) and its vector–Jacobian products aᵀ∂f/∂y, aᵀ∂f/∂θ, aᵀ∂f/∂t written out from the derivative
/// model's Vjp kernel (derived by the compiler's reverse pass), in <c>{Namespace}.{Model}.Vjp.g.cs</c>.
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
/// (<see cref="TorchSharpFusion"/>: <c>addcmul</c>, <c>linear</c>, and for a parameter's gradient summed over the
/// batch Σ_b g vᵀ as <c>g.t().mm(v)</c>, Σ_b u·v of two [B] columns as <c>u.dot(v)</c>).</item>
/// <item>No autograd graph: the body runs under <c>torch.no_grad()</c>, so nothing it returns requires grad.</item>
/// <item>Parameter gradients come in <c>parameters()</c> order, which is TorchSharp's registration order: a module's
/// own parameters first, then each layer's W and b (a layer is a child module). A parameter f does not read gets
/// zeros.</item>
/// <item>The time's adjoint is summed over the batch also when t holds one time per sample ([B]); it is null when f
/// does not read t.</item>
/// </list>
/// </remarks>
internal sealed class VjpWriter
{
    private readonly IrModel model;
    private readonly ModelMembers members;
    private readonly KernelWriter kernel;
    private readonly MathFormatter math;
    private readonly Dictionary<IrSymbol, (string Name, IrValue Value)> targetLocals = new();
    private readonly Dictionary<int, IrAnnotation> adjointOfValue = new();

    private VjpWriter(IrModel model, IrKernel vjp, ModelMembers members, ScalarCache scalars)
    {
        this.model = model;
        this.members = members;
        kernel = new KernelWriter(model, vjp, members, scalars);
        math = new MathFormatter(model, kernel.Source);
        // A value that is the adjoint of several nodes (a + b passes g on unchanged) is named after the first, outermost.
        foreach (IrAnnotation annotation in vjp.Annotations)
        {
            if (annotation.Role == IrRole.Adjoint && !adjointOfValue.ContainsKey(annotation.Value.Index))
                adjointOfValue[annotation.Value.Index] = annotation;
        }
    }

    /// <summary>The Vjp method, indented for its place in the class.</summary>
    public static string Write(IrModel model, IrKernel vjp, ModelMembers members, ScalarCache scalars) =>
        new VjpWriter(model, vjp, members, scalars).Write(vjp);

    private string Write(IrKernel vjp)
    {
        var writer = new SourceWriter(initialDepth: model.Namespace.Length == 0 ? 1 : 2);
        bool flow = vjp.Kind == IrKernelKind.FlowVjp;
        string cotangent = kernel.Method.Claim(members.IsOdeName("a") ? "cotangent" : "a");
        string? traceCotangent = flow ? kernel.Method.Claim("aTrace") : null;

        writer.Line("/// <summary>");
        if (flow)
        {
            writer.Line("/// The analytic vector–Jacobian products of the flow's (z, log p) dynamics at (t, y) for the cotangents <paramref name=\"" + cotangent + "\"/>");
            writer.Line("/// (of f) and <paramref name=\"" + traceCotangent + "\"/> (of the divergence), written out by reverse mode over f and its closed-form");
            writer.Line("/// divergence, second-order terms included: f, tr(∂f/∂z), and aᵀ∂f/∂· + ā·∂tr(∂f/∂z)/∂· for the state, every parameter");
            writer.Line("/// (summed over the batch, in <c>parameters()</c> order) and t (summed over the batch). No autograd graph is built.");
        }
        else
        {
            writer.Line("/// The analytic vector–Jacobian products at (t, y) for the cotangent <paramref name=\"" + cotangent + "\"/>, written out from the");
            writer.Line("/// model's derivative: f(t, y), aᵀ∂f/∂y, aᵀ∂f/∂θ for every parameter (summed over the batch, in <c>parameters()</c>");
            writer.Line("/// order) and aᵀ∂f/∂t (summed over the batch; null when f does not read t). No autograd graph is built.");
        }
        writer.Line("/// </summary>");
        writer.Line($"/// <param name=\"{kernel.Time}\">The time: a scalar tensor, or one time per sample ([B]); the time's adjoint is then the sum over the samples.</param>");
        writer.Line($"/// <param name=\"{kernel.Packed}\">The packed states ({kernel.StateLayout()}), [B, {CSharpLiterals.Int(model.StateSize)}].</param>");
        writer.Line($"/// <param name=\"{cotangent}\">The cotangent, [B, {CSharpLiterals.Int(model.StateSize)}], packed like the states.</param>");
        if (flow)
            writer.Line($"/// <param name=\"{traceCotangent}\">The cotangent of the divergence, [B].</param>");
        string signature = flow
            ? $"public {TorchSharpNames.FlowVjpResult} FlowVjp({TorchSharpNames.Tensor} {kernel.Time}, {TorchSharpNames.Tensor} {kernel.Packed}, {TorchSharpNames.Tensor} {cotangent}, {TorchSharpNames.Tensor} {traceCotangent})"
            : $"public {TorchSharpNames.VjpResult} Vjp({TorchSharpNames.Tensor} {kernel.Time}, {TorchSharpNames.Tensor} {kernel.Packed}, {TorchSharpNames.Tensor} {cotangent})";
        using (writer.OpenBlock(signature))
        {
            string noGrad = kernel.Method.Claim("noGrad");
            writer.Line("// No autograd graph: every derivative below is written out.");
            writer.Line($"using var {noGrad} = {TorchSharpNames.Torch}.no_grad();");
            kernel.WriteStateReads(writer);
            kernel.WriteTime(writer);
            kernel.WriteSeedInputs(writer, IrInputKind.Cotangent, cotangent, "cotangent");
            if (traceCotangent is not null && kernel.Kernel.Inputs.FirstOrDefault(input => input.Input.Kind == IrInputKind.TraceCotangent) is { Input: not null } trace)
            {
                kernel.Name(trace.Value, traceCotangent);
                kernel.DeclareColumn(writer, trace.Value.Index, origin: null);
            }
            string[] derivatives = kernel.WriteForwardStatements(writer);
            string? divergence = null;
            if (vjp.Statements.FirstOrDefault(statement => statement.Role == IrRole.Divergence) is IrStatement traceStatement)
            {
                kernel.WriteStatementComment(writer, traceStatement.Origin);
                kernel.WriteNamed(writer, traceStatement.Value, kernel.Method.Claim("divergence"), traceStatement.Origin);
                divergence = kernel.Local(traceStatement.Value);
            }
            // A single vector state's derivative is f itself; otherwise f is packed once here.
            string dynamics = kernel.PackedResult(derivatives);
            if (!CSharpNames.IsValidIdentifier(dynamics.TrimStart('@')))
            {
                string packedName = kernel.Method.Claim("dynamics");
                writer.Directive(LineDirectives.Hidden);
                writer.Line($"var {packedName} = {dynamics};");
                dynamics = packedName;
            }

            WriteAdjointBlocks(writer, vjp.Statements.Where(statement => statement.Role == IrRole.Adjoint).ToList());

            writer.Directive(LineDirectives.Hidden);
            writer.Line(flow
                ? $"return new {TorchSharpNames.FlowVjpResult}({dynamics}, {divergence}, {StateAdjoint(vjp)}, {ParameterGradients(vjp)}, {TimeAdjoint(vjp)});"
                : $"return new {TorchSharpNames.VjpResult}({dynamics}, {StateAdjoint(vjp)}, {ParameterGradients(vjp)}, {TimeAdjoint(vjp)});");
        }
        writer.Directive(LineDirectives.Default);
        return writer.ToString();
    }

    /// <summary>The running sums, one block per forward statement they pass through, each headed by a comment.</summary>
    private void WriteAdjointBlocks(SourceWriter writer, List<IrStatement> sums)
    {
        for (int start = 0; start < sums.Count;)
        {
            IrOrigin origin = sums[start].Origin;
            int end = start;
            while (end < sums.Count && sums[end].Origin == origin)
                end++;
            List<IrStatement> block = sums.GetRange(start, end - start);
            string targets = string.Join(", ", block.Select(statement => TargetDisplayName(statement.Of)).Distinct());
            writer.Directive(LineDirectives.Hidden);
            writer.Line($"// Adjoints of {targets} through: {CommentText.Statement(origin.Source)}   ({kernel.FileName}, line {CSharpLiterals.Int(origin.Line)})");
            foreach (IrStatement statement in block)
                WriteRunningSum(writer, statement, origin);
            start = end;
        }
    }

    /// <summary><c>var grad_x = …;</c>, or <c>grad_x = …;</c> when the previous sum is read by nothing else.</summary>
    private void WriteRunningSum(SourceWriter writer, IrStatement statement, IrOrigin origin)
    {
        IrValue value = statement.Value;
        foreach (int shared in kernel.SharedDependencies(value))
        {
            string name;
            if (adjointOfValue.TryGetValue(shared, out IrAnnotation? node))
            {
                name = kernel.Method.Claim("grad");
                writer.Directive(LineDirectives.Hidden);
                writer.Line($"// {(node.Negated ? "−" : "")}aᵀ∂f/∂({CommentText.Math(math.Value(new IrValue(node.Of.Index)))})");
            }
            else
            {
                name = kernel.Method.Claim("common");
            }
            kernel.DeclareShared(writer, shared, name, origin);
        }

        string expression = kernel.Code(value);
        string local;
        // The target's local may take the new sum when nothing reads its old value any more: it only named another
        // node's local (an alias such as grad_r = a_y), or it holds a node whose one reader is this new sum.
        if (targetLocals.TryGetValue(statement.Of, out (string Name, IrValue Value) previous) && kernel.Local(value) is null
            && (kernel.Local(previous.Value) != previous.Name
                || (kernel.Facts.UseCounts[previous.Value.Index] == 1 && ReadsInline(value, previous.Value))))
        {
            local = previous.Name;
            kernel.Mapped(writer, origin, $"{local} = {expression};");
        }
        else
        {
            local = kernel.Method.Claim(TargetLocalName(statement.Of));
            kernel.Mapped(writer, origin, $"var {local} = {expression};");
        }
        if (kernel.Local(value) is null)
        {
            kernel.Name(value, local);
            kernel.DeclareColumn(writer, value.Index, origin);
        }
        targetLocals[statement.Of] = (local, value);
    }

    /// <summary>Whether the code of <paramref name="root"/> reads <paramref name="value"/> (through inlined nodes only).</summary>
    private bool ReadsInline(IrValue root, IrValue value)
    {
        var stack = new Stack<IrValue>(kernel.Kernel[root].Operands);
        while (stack.Count > 0)
        {
            IrValue operand = stack.Pop();
            if (operand == value)
                return true;
            if (kernel.Local(operand) is null)
            {
                foreach (IrValue next in kernel.Kernel[operand].Operands)
                    stack.Push(next);
            }
        }
        return false;
    }

    private string TargetLocalName(IrSymbol target) => "grad_" + target.Kind switch
    {
        IrSymbolKind.Parameter => model.Parameters[target.Index].Name.Replace('.', '_'),
        IrSymbolKind.Node => kernel.Local(new IrValue(target.Index))?.TrimStart('@') ?? "node",
        _ => model.NameOf(target),
    };

    private string TargetDisplayName(IrSymbol target) =>
        target.Kind == IrSymbolKind.Node ? "(" + CommentText.Math(math.Value(new IrValue(target.Index))) + ")" : model.NameOf(target);

    /// <summary>aᵀ∂f/∂y packed like the state; zeros for states f does not read.</summary>
    private string StateAdjoint(IrKernel vjp)
    {
        string?[] names = model.States.Select((_, i) => ResultLocal(vjp, IrSymbol.State(i))).ToArray();
        if (names.All(name => name is null))
            return $"{TorchSharpNames.Torch}.zeros_like({kernel.Packed})";
        return kernel.PackedResult(names.Select((name, i) => name ?? kernel.StateZeros(model.States[i])).ToArray());
    }

    /// <summary>The parameters' gradients in <c>parameters()</c> order: the model's own, then each layer's W and b.</summary>
    private string ParameterGradients(IrKernel vjp)
    {
        IEnumerable<int> own = Enumerable.Range(0, model.Parameters.Count).Where(i => model.Parameters[i].Layer is null);
        IEnumerable<int> layered = model.Layers.SelectMany(layer => new[] { "W", "b" }.Select(local =>
            Enumerable.Range(0, model.Parameters.Count).Single(i => model.Parameters[i].Layer == layer.Name && model.Parameters[i].LocalName == local)));
        string[] gradients = own.Concat(layered)
            .Select(i => ResultLocal(vjp, IrSymbol.Parameter(i)) ?? $"{TorchSharpNames.Torch}.zeros_like({members.ParameterCode(i)})")
            .ToArray();
        return gradients.Length == 0
            ? $"global::System.Array.Empty<{TorchSharpNames.Tensor}>()"
            : $"new {TorchSharpNames.Tensor}[] {{ {string.Join(", ", gradients)} }}";
    }

    private string TimeAdjoint(IrKernel vjp) =>
        vjp.Output(IrRole.Adjoint, IrSymbol.Time) is IrValue time ? kernel.Code(time) : "null";

    private string? ResultLocal(IrKernel vjp, IrSymbol of) =>
        vjp.Output(IrRole.Adjoint, of) is IrValue && targetLocals.TryGetValue(of, out (string Name, IrValue Value) local)
            ? local.Name
            : null;
}
