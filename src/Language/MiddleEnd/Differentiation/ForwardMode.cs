using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;

namespace OdeDsl.Language.Differentiation;

/// <summary>
/// Forward-mode differentiation: from a model's forward kernel, the Jvp kernel computing (∂f/∂y)·v for a
/// tangent v packed like the state. Tangent nodes join the forward nodes in one hash-consing graph, so a tangent
/// reads forward values (tanh′ reads the stored tanh) and shares its repeated subexpressions.
/// </summary>
/// <remarks>
/// <para>
/// One sweep in node order: a node that depends on a state gets its tangent from its operands' tangents by the
/// shared rules of <see cref="DerivativeRules"/> (the same local derivatives the reverse pass transposes). Values that
/// depend only on parameters, constants and the time have no tangent, so the tangent of a first linear layer
/// <c>W @ y</c> is <c>W @ v</c> and nothing is computed for <c>W</c>. Signs travel with tangents as in the reverse
/// pass; a negated tangent is negated once, where it leaves the kernel.
/// </para>
/// <para>
/// The kernel's outputs are (∂f_i/∂y)·v for each state i whose derivative depends on the state (none: the tangent is
/// zero); f itself is not one. Its statements are the forward statements the tangents read, then each let's tangent
/// (when it has one, under the let's source statement).
/// </para>
/// </remarks>
public sealed class ForwardMode
{
    private readonly IrModel model;
    private readonly IrKernel forward;
    private readonly DerivativeGraph graph;
    private readonly DerivativeRules rules;
    private readonly Term?[] tangents;
    private readonly IrKernelKind kind;

    private ForwardMode(IrModel model, IrKernelKind kind)
    {
        this.model = model;
        this.kind = kind;
        // Hash-consed and free of dead nodes, so each forward node keeps its index in the derived kernel.
        forward = CommonSubexpressionElimination.Run(model.Forward);
        graph = new DerivativeGraph(forward);
        rules = new DerivativeRules(graph);
        tangents = new Term?[forward.Nodes.Count];
    }

    /// <summary>The Jvp kernel of <paramref name="model"/>'s forward kernel: tangents along one direction v per sample.</summary>
    public static IrKernel Differentiate(IrModel model) => new ForwardMode(model, IrKernelKind.Jvp).Run();

    /// <summary>
    /// The Jacobian kernel: tangents along every basis direction at once (directed values, <c>[B, D, …]</c>). The
    /// seed, the identity, is the same for every sample, so a tangent stays unbatched until it meets a value that
    /// depends on the state: the Jacobian of a first layer <c>W @ y</c> is W itself.
    /// </summary>
    public static IrKernel Jacobian(IrModel model) => new ForwardMode(model, IrKernelKind.Jacobian).Run();

    private IrKernel Run()
    {
        for (int node = 0; node < forward.Nodes.Count; node++)
            tangents[node] = Tangent(node);

        var outputs = new List<IrOutput>();
        foreach (IrOutput output in forward.Outputs)
        {
            if (output.Role == IrRole.Derivative && tangents[output.Value.Index] is Term tangent)
                outputs.Add(new IrOutput(IrRole.Tangent, output.Of, Materialized(tangent)));
        }
        var named = new List<IrStatement>();
        foreach (IrStatement statement in forward.Statements)
        {
            // A let's tangent is named only where it costs nothing extra (a negated one would need its own negation).
            if (statement.Role == IrRole.Let && tangents[statement.Value.Index] is { Negative: false } tangent)
                named.Add(new IrStatement(IrRole.Tangent, statement.Of, tangent.Value, statement.Origin));
        }
        var kernel = new IrKernel(kind, graph.ToNodes(), EquatableArray<IrStatement>.Empty, outputs.ToEquatableArray(),
            EquatableArray<IrAnnotation>.Empty);
        // Only the forward statements the tangents read (tanh′ reads the stored tanh) stay: f itself is not an output.
        bool[] needed = IrGraph.Reachable(kernel, outputs.Select(output => output.Value));
        IEnumerable<IrStatement> statements = forward.Statements.Where(statement => needed[statement.Value.Index])
            .Concat(named.Where(statement => needed[statement.Value.Index]));
        return kernel with { Statements = statements.ToEquatableArray() };
    }

    /// <summary>The node's tangent from its operands' (null when it does not depend on a state).</summary>
    private Term? Tangent(int node)
    {
        IrNode forwardNode = forward.Nodes[node];
        switch (forwardNode)
        {
            case IrInput { Kind: IrInputKind.State } state when kind == IrKernelKind.Jacobian:
                return new Term(graph.Add(new IrInput(IrInputKind.Basis, state.State, new IrType(state.Type.Shape, Batched: false, Directed: true))), false);
            case IrInput { Kind: IrInputKind.State } state:
                return new Term(graph.Add(new IrInput(IrInputKind.Tangent, state.State, state.Type)), false);
            case IrInput or IrParameterRead or IrConstantRead or IrLiteral:
                return null;
        }
        Term?[] operands = forwardNode.Operands.Select(operand => tangents[operand.Index]).ToArray();
        if (operands.All(operand => operand is null) || rules.Tangent(new IrValue(node), operands) is not Term tangent)
            return null;
        // A scalar tangent of a vector-valued elementwise node (a scalar operand broadcast) is broadcast here.
        IrType type = graph.TypeOf(tangent.Value);
        if (type.Shape != forwardNode.Type.Shape)
            tangent = tangent with { Value = graph.Broadcast(tangent.Value, type with { Shape = forwardNode.Type.Shape }) };
        return tangent;
    }

    private IrValue Materialized(Term tangent) => tangent.Negative ? graph.Negate(tangent.Value) : tangent.Value;
}
