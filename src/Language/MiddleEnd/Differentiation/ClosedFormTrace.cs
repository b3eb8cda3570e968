using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;

namespace OdeDsl.Language.Differentiation;

/// <summary>
/// The exact divergence tr(∂f/∂y) in closed form, when the one vector state passes through a chain of affine layers
/// and elementwise functions (an MLP, with the time or other state-independent columns concatenated in) plus terms
/// such as <c>c·y</c>: the trace reordered so that the expensive part depends on the parameters only.
/// </summary>
/// <remarks>
/// <para>
/// With W_l the columns of layer l's weight that read the state's path (the time's columns drop out: they do not
/// depend on y) and s_l = σ_l′ at the hidden layer l (from the shared derivative rules, seeded with 1):
/// <list type="bullet">
/// <item>one hidden layer: tr(W2 diag(s) W1) = Σ_k s_k c_k with c = rowsum(W1 ∘ W2ᵀ), a <c>[H]</c> vector per
/// evaluation, so each sample costs one inner product;</item>
/// <item>two hidden layers: tr(W3 S2 W2 S1 W1) = s2ᵀ (W2 ∘ (W1 W3)ᵀ) s1, where the <c>[H, H]</c> matrix depends on the
/// parameters only (once per evaluation) and each sample costs one <c>[H]×[H, H]</c> product — about one extra
/// layer.</item>
/// </list>
/// A cost model compares multiply-adds per sample with forward mode along all D directions (the Jacobian's trace) and
/// keeps the cheaper; deeper chains and anything else use the Jacobian.
/// </para>
/// <para>
/// The kernel is ordinary IR (matrix products, transposes, elementwise products, dots), so the passes and the reverse
/// pass apply to it like to any other.
/// </para>
/// </remarks>
public static class ClosedFormTrace
{
    /// <summary>The reordered trace a model allows, and what it costs against forward mode.</summary>
    /// <param name="HiddenLayers">How many elementwise functions the chain passes through (1 or 2).</param>
    /// <param name="ClosedFormCost">Multiply-adds per sample of the closed form.</param>
    /// <param name="ForwardModeCost">Multiply-adds per sample of forward mode along every direction.</param>
    public sealed record Plan(int HiddenLayers, long ClosedFormCost, long ForwardModeCost)
    {
        /// <summary>One line for the generated code's comment.</summary>
        public string Description => HiddenLayers == 1
            ? $"closed form for one hidden layer, tr(W2 diag(s) W1) = s·rowsum(W1 ∘ W2ᵀ): ≈ {ClosedFormCost} multiply-adds per sample, against ≈ {ForwardModeCost} for forward mode along every direction"
            : $"closed form for two hidden layers, tr(W3 S2 W2 S1 W1) = s2ᵀ (W2 ∘ (W1 W3)ᵀ) s1: ≈ {ClosedFormCost} multiply-adds per sample, against ≈ {ForwardModeCost} for forward mode along every direction";
    }

    /// <summary>The plan for <paramref name="model"/>, or null when no closed form applies or forward mode is cheaper.</summary>
    public static Plan? PlanFor(IrModel model) => Analyze(model)?.Plan;

    /// <summary>
    /// The Divergence kernel in closed form, or null (then the Jacobian's trace is the divergence). With
    /// <paramref name="withDynamics"/>, the FlowDynamics kernel instead: f and the divergence in one pass, sharing the
    /// hidden layers, as a flow's (z, log p) dynamics need them.
    /// </summary>
    public static IrKernel? TryDerive(IrModel model, bool withDynamics = false)
    {
        if (Analyze(model) is not { } analysis)
            return null;
        IrKernel forward = analysis.Forward;
        var graph = new DerivativeGraph(forward);
        var rules = new DerivativeRules(graph);
        int size = model.States[0].Shape.ElementCount;

        var terms = new List<Term>();
        foreach (Summand summand in analysis.Summands)
        {
            IrValue value = summand switch
            {
                StateSummand => graph.Literal(size),
                ScaledStateSummand scaled => graph.Multiply(scaled.Scale, graph.Literal(size)),
                ChainSummand chain => ChainTrace(graph, rules, chain.Layers.Select(block => Block(graph, block)).ToList(), chain.Activations),
                _ => throw new System.InvalidOperationException("Unknown summand."),
            };
            terms.Add(new Term(value, summand.Negative));
        }
        Term sum = graph.Sum(terms);
        IrValue result = sum.Negative ? graph.Negate(sum.Value) : sum.Value;

        IrStatement equation = forward.Statements.Single(statement => statement.Role == IrRole.Derivative);
        var trace = new IrOutput(IrRole.Divergence, equation.Of, result);
        EquatableArray<IrOutput> outputs = withDynamics ? EquatableArray.Create(new IrOutput(IrRole.Derivative, equation.Of, equation.Value), trace) : EquatableArray.Create(trace);
        var kernel = new IrKernel(withDynamics ? IrKernelKind.FlowDynamics : IrKernelKind.Divergence, graph.ToNodes(), EquatableArray<IrStatement>.Empty, outputs,
            EquatableArray<IrAnnotation>.Empty);
        // The forward statements the outputs read stay: the hidden layers (for s_l), and f itself only when it is an output.
        bool[] needed = IrGraph.Reachable(kernel, outputs.Select(output => output.Value));
        var statements = forward.Statements.Where(statement => (statement.Role == IrRole.Let || withDynamics) && needed[statement.Value.Index]).ToList();
        // Its own origin (the equation's line), so a comment or a reverse block tells the trace from the equation.
        statements.Add(new IrStatement(IrRole.Divergence, equation.Of, result, new IrOrigin(equation.Origin.Line, $"tr(d(d{model.States[0].Name}/dt)/d{model.States[0].Name}) of {equation.Origin.Source}")));
        return kernel with { Statements = statements.ToEquatableArray() };
    }

    /// <summary>A weight's columns as a matrix of their own: the weight itself, or a view of its columns.</summary>
    private static IrValue Block(DerivativeGraph graph, WeightBlock block)
    {
        int columns = graph.TypeOf(block.Weight).Shape.Dimensions[1];
        if (block.Offset == 0 && block.Width == columns)
            return block.Weight;
        return graph.Slice(block.Weight, block.Offset, block.Offset + block.Width, axis: 1);
    }

    /// <summary>The trace of one chain: W_l are the state path's weight blocks from the output back, σ_l the hidden functions.</summary>
    private static IrValue ChainTrace(DerivativeGraph graph, DerivativeRules rules, IReadOnlyList<IrValue> layers, IReadOnlyList<IrValue> activations)
    {
        IrValue one = graph.Literal(1.0);
        IrValue Slope(IrValue activation)
        {
            // σ′ from the one table of rules, seeded with 1: tanh gives 1 − r², softplus its threshold, …
            Term slope = rules.Adjoint(activation, 0, new Term(one, false))!.Value;
            return slope.Negative ? graph.Negate(slope.Value) : slope.Value;
        }
        if (activations.Count == 1)
        {
            // layers = [W2, W1]: c = rowsum(W1 ∘ W2ᵀ), tr = s·c.
            IrValue w2 = layers[0], w1 = layers[1];
            int inputs = graph.TypeOf(w1).Shape.Dimensions[1];
            IrValue ones = graph.Broadcast(one, new IrType(IrShape.Vector(inputs), Batched: false));
            IrValue c = graph.MatMul(graph.Multiply(w1, graph.Transpose(w2)), ones);
            return graph.Dot(Slope(activations[0]), c);
        }
        // layers = [W3, W2, W1], activations = [σ2, σ1]: M = W2 ∘ (W1 W3)ᵀ, tr = s2 · (M s1).
        IrValue m = graph.Multiply(layers[1], graph.Transpose(graph.MatMul(layers[2], layers[0])));
        return graph.Dot(Slope(activations[0]), graph.MatMul(m, Slope(activations[1])));
    }

    // ---- Structure --------------------------------------------------------------------------------------------

    private abstract record Summand(bool Negative);

    /// <summary>y itself: its trace is D.</summary>
    private sealed record StateSummand(bool Negative) : Summand(Negative);

    /// <summary>c·y with c independent of y: its trace is c·D.</summary>
    private sealed record ScaledStateSummand(IrValue Scale, bool Negative) : Summand(Negative);

    /// <summary>The columns <c>[Offset, Offset + Width)</c> of a layer's weight: those reading the state's path.</summary>
    private sealed record WeightBlock(IrValue Weight, int Offset, int Width);

    /// <summary>A chain of layers: the weight blocks from the output back, and the hidden functions from the output back.</summary>
    private sealed record ChainSummand(IReadOnlyList<WeightBlock> Layers, IReadOnlyList<IrValue> Activations, bool Negative) : Summand(Negative);

    private sealed record Analysis(IrKernel Forward, IReadOnlyList<Summand> Summands, Plan Plan);

    private static Analysis? Analyze(IrModel model)
    {
        if (model.States.Count != 1 || model.States[0].Shape.Rank != 1)
            return null;
        IrKernel forward = CommonSubexpressionElimination.Run(model.Forward);
        var builder = new StructureReader(forward);
        if (forward.Output(IrRole.Derivative, IrSymbol.State(0)) is not IrValue f || !builder.Read(f, negative: false))
            return null;
        List<ChainSummand> chains = builder.Summands.OfType<ChainSummand>().ToList();
        if (chains.Count == 0 || chains.Any(chain => chain.Activations.Count is < 1 or > 2))
            return null;
        int size = model.States[0].Shape.ElementCount;
        long closed = 0, forwardMode = 0;
        foreach (ChainSummand chain in chains)
        {
            // Forward mode pushes D directions through every layer block; the closed form pays s_l and one product.
            long layerCost = chain.Layers.Sum(block => (long)forward[block.Weight].Type.Shape.Dimensions[0] * block.Width);
            forwardMode += size * layerCost;
            int[] widths = chain.Activations.Select(activation => forward[activation].Type.Shape.ElementCount).ToArray();
            closed += chain.Activations.Count == 1 ? 3L * widths[0] : (long)widths[0] * widths[1] + 3L * (widths[0] + widths[1]);
        }
        if (closed >= forwardMode)
            return null;
        return new Analysis(forward, builder.Summands, new Plan(chains.Max(chain => chain.Activations.Count), closed, forwardMode));
    }

    /// <summary>Reads f as a signed sum of summands, each y, c·y, a chain, or independent of y (trace 0).</summary>
    private sealed class StructureReader
    {
        private readonly IrKernel kernel;
        private readonly bool[] dependsOnState;

        public StructureReader(IrKernel kernel)
        {
            this.kernel = kernel;
            dependsOnState = new bool[kernel.Nodes.Count];
            for (int i = 0; i < kernel.Nodes.Count; i++)
            {
                IrNode node = kernel.Nodes[i];
                dependsOnState[i] = node is IrInput { Kind: IrInputKind.State } || node.Operands.Any(operand => dependsOnState[operand.Index]);
            }
        }

        public List<Summand> Summands { get; } = new();

        private IrNode this[IrValue value] => kernel[value];

        private bool Depends(IrValue value) => dependsOnState[value.Index];

        /// <summary>Adds the summands of <paramref name="value"/>; false when some summand has no closed form.</summary>
        public bool Read(IrValue value, bool negative)
        {
            if (!Depends(value))
                return true;
            switch (this[value])
            {
                case IrBinary { Operator: IrBinaryOperator.Add } add:
                    return Read(add.Left, negative) && Read(add.Right, negative);
                case IrBinary { Operator: IrBinaryOperator.Subtract } subtract:
                    return Read(subtract.Left, negative) && Read(subtract.Right, !negative);
                case IrUnary { Operator: IrUnaryOperator.Negate } negate:
                    return Read(negate.Operand, !negative);
                case IrInput { Kind: IrInputKind.State }:
                    Summands.Add(new StateSummand(negative));
                    return true;
                case IrBinary { Operator: IrBinaryOperator.Multiply } product when ScaledState(product) is IrValue scale:
                    Summands.Add(new ScaledStateSummand(scale, negative));
                    return true;
                case IrMatrixProduct:
                    if (Chain(value) is not { } chain)
                        return false;
                    Summands.Add(chain with { Negative = negative });
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>c for c·y or y·c with a scalar c independent of y.</summary>
        private IrValue? ScaledState(IrBinary product)
        {
            foreach ((IrValue state, IrValue scale) in new[] { (product.Left, product.Right), (product.Right, product.Left) })
            {
                if (this[state] is IrInput { Kind: IrInputKind.State } && !Depends(scale) && this[scale].Type is { Batched: false, Shape.IsScalar: true })
                    return scale;
            }
            return null;
        }

        /// <summary>W_L @ [… σ(W_{L−1} @ [… y …] + b) …]: the weight blocks and hidden functions, or null.</summary>
        private ChainSummand? Chain(IrValue top)
        {
            var layers = new List<WeightBlock>();
            var activations = new List<IrValue>();
            IrValue product = top;
            while (true)
            {
                if (this[product] is not IrMatrixProduct { } matmul || this[matmul.Left].Type is not { Batched: false, Shape.Rank: 2 } || Depends(matmul.Left)
                    || StatePath(matmul.Right) is not (IrValue path, int offset))
                    return null;
                layers.Add(new WeightBlock(matmul.Left, offset, this[path].Type.Shape.ElementCount));
                if (this[path] is IrInput { Kind: IrInputKind.State })
                    return new ChainSummand(layers, activations, false);
                // sign has no slope to trace (its derivative is no term at all): such a chain takes forward mode.
                if (this[path] is not IrCall { Arguments.Count: 1 } call || IrOperatorFacts.IsReduction(call.Function) || call.Function == IrFunction.Sign
                    || this[path].Type.Shape.Rank != 1)
                    return null;
                activations.Add(path);
                product = WithoutBias(call.Arguments[0]);
            }
        }

        /// <summary>The part of a layer's input that depends on y, and its first column: the input itself, or one part of a concatenation.</summary>
        private (IrValue Path, int Offset)? StatePath(IrValue input)
        {
            if (this[input] is not IrConcatenation concatenation)
                return this[input].Type.Shape.Rank == 1 ? (input, 0) : null;
            (IrValue, int)? found = null;
            int offset = 0;
            foreach (IrValue part in concatenation.Parts)
            {
                if (Depends(part))
                {
                    if (found is not null || this[part].Type.Shape.Rank != 1)
                        return null;
                    found = (part, offset);
                }
                offset += this[part].Type.Shape.ElementCount;
            }
            return found;
        }

        /// <summary>W @ x + b (b independent of y) is W @ x for the Jacobian.</summary>
        private IrValue WithoutBias(IrValue value) => this[value] switch
        {
            IrBinary { Operator: IrBinaryOperator.Add } add when !Depends(add.Right) => add.Left,
            IrBinary { Operator: IrBinaryOperator.Add } add when !Depends(add.Left) => add.Right,
            _ => value,
        };
    }
}
