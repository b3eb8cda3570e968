using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;

namespace OdeDsl.Language.Differentiation;

/// <summary>
/// Reverse-mode differentiation: from a model's forward kernel, the Vjp kernel computing f, aᵀ∂f/∂y, aᵀ∂f/∂θ and
/// aᵀ∂f/∂t for a cotangent a. The reverse nodes are added to the same hash-consing graph as the forward ones, so the
/// reverse pass reads forward values (tanh′ reads the stored tanh) and shares its own repeated subexpressions.
/// </summary>
/// <remarks>
/// <para>
/// The sweep runs statement by statement in reverse (equations last to first, then lets last to first). Every forward
/// node belongs to the first statement that reads it — where forward code computes it — and a statement's block
/// processes its nodes from the last to the first. That is a reverse topological order: a node's users are either in
/// its own statement (later in the table) or in statements processed earlier. Each node hands its adjoint times its
/// local derivative to its operands (the shared rules of <see cref="DerivativeRules"/>, transposed).
/// </para>
/// <para>
/// Contributions wait in a list until their node is processed, then are summed once. Contributions to values that
/// outlive the block — states, parameters, the time, lets and forward nodes of earlier statements — are summed at
/// the end of each block into a running sum (an <see cref="IrStatement"/> of role Adjoint), so the generated code of a block
/// only uses what that block computes. Signs travel with contributions (the VJP is linear in the cotangent), so
/// <c>a − b</c> costs no negation: the contribution to <c>b</c> is subtracted from its sum.
/// </para>
/// <para>
/// Broadcasting is undone where it happened: a contribution to a scalar read by a vector operation is summed over
/// the elements, one to an unbatched value (parameters and what depends only on them) over the batch
/// (<see cref="IrReduceBroadcast"/>). Only values that depend on a state, a parameter or the time receive adjoints.
/// </para>
/// <para>
/// The kernel's statements are the forward statements (it returns f too), then the running sums; its outputs are f
/// per state and the final adjoint of each state, parameter and the time that f depends on (the time's summed over
/// the batch). A value f does not depend on has no output: its adjoint is zero (or, for the time, null). Like every
/// kernel it holds only equatable data, and it is a function of the forward kernel alone.
/// </para>
/// </remarks>
public sealed class ReverseMode
{
    private readonly IrModel model;
    private readonly IrKernel forward;
    private readonly DerivativeGraph graph;
    private readonly DerivativeRules rules;
    private readonly bool[] active;
    private readonly int[] owner;
    private readonly Dictionary<int, List<Term>> pending = new();
    private readonly Dictionary<int, IrValue> running = new();
    private readonly List<IrStatement> sums = new();
    private readonly List<IrAnnotation> nodeAdjoints = new();

    private readonly IrKernelKind kind;

    private ReverseMode(IrModel model, IrKernel differentiated, IrKernelKind kind)
    {
        this.model = model;
        this.kind = kind;
        // Hash-consed and free of dead nodes, so each node keeps its index in the derived kernel.
        forward = CommonSubexpressionElimination.Run(differentiated);
        graph = new DerivativeGraph(forward);
        rules = new DerivativeRules(graph);
        active = Active(forward);
        owner = Owners(forward);
    }

    /// <summary>The Vjp kernel of <paramref name="model"/>'s forward kernel.</summary>
    public static IrKernel Differentiate(IrModel model) => new ReverseMode(model, model.Forward, IrKernelKind.Vjp).Run();

    /// <summary>
    /// The FlowVjp kernel: reverse mode over a flow's FlowDynamics kernel (f and its divergence), the divergence seeded
    /// with its own cotangent. The second derivatives of f that the divergence's gradient needs come out of the same
    /// rules: the divergence is ordinary IR.
    /// </summary>
    public static IrKernel DifferentiateFlow(IrModel model, IrKernel flowDynamics) => new ReverseMode(model, flowDynamics, IrKernelKind.FlowVjp).Run();

    private IrKernel Run()
    {
        for (int statement = forward.Statements.Count - 1; statement >= 0; statement--)
        {
            IrStatement source = forward.Statements[statement];
            if (source.Role is IrRole.Derivative or IrRole.Divergence)
                Seed(source);
            for (int node = forward.Nodes.Count - 1; node >= 0; node--)
            {
                if (owner[node] == statement && !IsLeaf(forward.Nodes[node]))
                    Process(node);
            }
            CompleteRunningSums(statement, source.Origin);
        }
        IEnumerable<IrOutput> outputs = forward.Outputs.Concat(Results()).ToList();
        return new IrKernel(kind, graph.ToNodes(), forward.Statements.Concat(sums).ToEquatableArray(), outputs.ToEquatableArray(),
            nodeAdjoints.ToEquatableArray());
    }

    /// <summary>Each derivative's value receives the cotangent of its state; a divergence, the cotangent of the log-density change.</summary>
    private void Seed(IrStatement output)
    {
        int state = output.Of.Index;
        IrValue cotangent = output.Role == IrRole.Divergence
            ? graph.Add(new IrInput(IrInputKind.TraceCotangent, state, IrType.BatchedScalar))
            : graph.Add(new IrInput(IrInputKind.Cotangent, state, new IrType(model.States[state].Shape, Batched: true)));
        Give(output.Value, new Term(cotangent, false));
    }

    /// <summary>Sums what the node received and hands it to the node's operands.</summary>
    private void Process(int node)
    {
        if (!pending.TryGetValue(node, out List<Term>? terms) && !running.ContainsKey(node))
            return;
        IrValue total = Total(node, terms ?? new List<Term>(), out bool negative);
        pending.Remove(node);
        nodeAdjoints.Add(new IrAnnotation(total, IrRole.Adjoint, IrSymbol.Node(node), negative));
        Differentiate(new IrValue(node), total, negative);
    }

    /// <summary>At the end of a block, every value of another block (or a leaf) that received something gets its running sum.</summary>
    private void CompleteRunningSums(int statement, IrOrigin origin)
    {
        foreach (int node in pending.Keys.OrderBy(node => node).ToList())
        {
            if (owner[node] == statement && !IsLeaf(forward.Nodes[node]))
                continue;
            IrValue total = Total(node, pending[node], out bool negative);
            if (negative)
                total = graph.Negate(total);
            pending.Remove(node);
            running[node] = total;
            sums.Add(new IrStatement(IrRole.Adjoint, Target(node), total, origin));
        }
    }
    /// <summary>
    /// The node's running sum plus its pending terms, with the node's exact type. When every term is negative and
    /// there is no running sum, the sum of their magnitudes is returned with <paramref name="negative"/> set.
    /// </summary>
    private IrValue Total(int node, List<Term> terms, out bool negative)
    {
        var all = new List<Term>(terms.Count + 1);
        if (running.TryGetValue(node, out IrValue previous))
            all.Add(new Term(previous, false));
        all.AddRange(terms);
        Term total = graph.Sum(all);
        negative = total.Negative;
        return Exact(total.Value, forward.Nodes[node].Type);
    }

    /// <summary>Hands the adjoint <paramref name="g"/> of <paramref name="value"/> to each operand that has one, by the shared derivative rules.</summary>
    private void Differentiate(IrValue value, IrValue g, bool negative)
    {
        EquatableArray<IrValue> operands = graph[value].Operands.ToEquatableArray();
        for (int i = 0; i < operands.Count; i++)
        {
            if (active[operands[i].Index] && rules.Adjoint(value, i, new Term(g, negative)) is Term term)
                Give(operands[i], term);
        }
    }

    /// <summary>Adds a term to the adjoint of <paramref name="operand"/>, undoing the broadcasts its user applied.</summary>
    private void Give(IrValue operand, Term term)
    {
        if (!active[operand.Index])
            return;
        IrType want = forward[operand].Type;
        IrType have = graph.TypeOf(term.Value);
        bool sumBatch = have.Batched && !want.Batched;
        bool sumElements = !have.Shape.IsScalar && want.Shape.IsScalar;
        IrValue value = sumBatch || sumElements
            ? graph.ReduceBroadcast(term.Value, new IrType(sumElements ? want.Shape : have.Shape, sumBatch ? false : have.Batched))
            : term.Value;
        if (!pending.TryGetValue(operand.Index, out List<Term>? terms))
            pending[operand.Index] = terms = new List<Term>();
        terms.Add(term with { Value = value });
    }

    /// <summary>A sum of contributions smaller than its node (the adjoint of a reduction's input) broadcast to the node's type.</summary>
    private IrValue Exact(IrValue value, IrType type)
    {
        IrType have = graph.TypeOf(value);
        if (have == type)
            return value;
        if (!have.Shape.IsScalar && have.Shape != type.Shape)
            throw new System.InvalidOperationException($"An adjoint of type {have} cannot stand for a value of type {type}.");
        return graph.Add(new IrBroadcast(value, type));
    }

    private IEnumerable<IrOutput> Results()
    {
        for (int node = 0; node < forward.Nodes.Count; node++)
        {
            if (!running.TryGetValue(node, out IrValue total))
                continue;
            switch (forward.Nodes[node])
            {
                case IrInput { Kind: IrInputKind.State } read:
                    yield return new IrOutput(IrRole.Adjoint, IrSymbol.State(read.State), total);
                    break;
                case IrParameterRead read:
                    yield return new IrOutput(IrRole.Adjoint, IrSymbol.Parameter(read.Parameter), total);
                    break;
                case IrInput { Kind: IrInputKind.Time }:
                    yield return new IrOutput(IrRole.Adjoint, IrSymbol.Time, graph.Add(new IrReduceBroadcast(total, IrType.Scalar)));
                    break;
            }
        }
    }

    /// <summary>What a running sum accumulates into: a state, parameter, the time, a let, or another forward node.</summary>
    private IrSymbol Target(int node)
    {
        switch (forward.Nodes[node])
        {
            case IrInput { Kind: IrInputKind.State } read:
                return IrSymbol.State(read.State);
            case IrParameterRead read:
                return IrSymbol.Parameter(read.Parameter);
            case IrInput { Kind: IrInputKind.Time }:
                return IrSymbol.Time;
        }
        foreach (IrStatement statement in forward.Statements)
        {
            if (statement.Role == IrRole.Let && statement.Value.Index == node)
                return statement.Of;
        }
        return IrSymbol.Node(node);
    }

    private static bool IsLeaf(IrNode node) => node is IrInput or IrParameterRead or IrLiteral or IrConstantRead;

    /// <summary>The nodes that depend on a state, a parameter or the time: the only ones with adjoints.</summary>
    private static bool[] Active(IrKernel kernel)
    {
        var active = new bool[kernel.Nodes.Count];
        for (int i = 0; i < kernel.Nodes.Count; i++)
        {
            IrNode node = kernel.Nodes[i];
            active[i] = node is IrInput or IrParameterRead || node.Operands.Any(operand => active[operand.Index]);
        }
        return active;
    }

    /// <summary>Each node's statement: the first (lets, then equations) whose value reaches it; -1 for none.</summary>
    private static int[] Owners(IrKernel kernel)
    {
        var owners = Enumerable.Repeat(-1, kernel.Nodes.Count).ToArray();
        int statement = 0;
        foreach (IrValue root in kernel.Statements.Select(statement => statement.Value))
        {
            var stack = new Stack<int>();
            stack.Push(root.Index);
            while (stack.Count > 0)
            {
                int index = stack.Pop();
                if (owners[index] >= 0)
                    continue;
                owners[index] = statement;
                foreach (IrValue operand in kernel.Nodes[index].Operands)
                    stack.Push(operand.Index);
            }
            statement++;
        }
        return owners;
    }
}
