using System.Collections.Generic;
using System.Linq;

namespace OdeDsl.Language.Ir;

/// <summary>The functions the compiler can produce for a model; each is one <see cref="IrKernel"/>.</summary>
public enum IrKernelKind
{
    /// <summary><c>forward(t, y)</c>: dy/dt for a batch. Lowered from the source; every other kernel derives from it.</summary>
    Forward,
    /// <summary><c>Vjp(t, y, a)</c>: f, aᵀ∂f/∂y, aᵀ∂f/∂θ and aᵀ∂f/∂t, by reverse-mode differentiation of the forward kernel.</summary>
    Vjp,
    /// <summary><c>Jvp(t, y, v)</c>: (∂f/∂y)·v, by forward-mode differentiation of the forward kernel.</summary>
    Jvp,
    /// <summary><c>Jacobian(t, y)</c>: ∂f/∂y, by forward-mode differentiation along every basis direction of the state at once.</summary>
    Jacobian,
    /// <summary><c>Divergence(t, y)</c>: tr(∂f/∂y) in closed form, where the model's structure allows one cheaper than the Jacobian's trace.</summary>
    Divergence,
    /// <summary><c>DynamicsAndDivergence(t, z)</c> of a flow: f and its closed-form divergence in one pass, sharing the hidden layers.</summary>
    FlowDynamics,
    /// <summary>
    /// <c>FlowVjp(t, z, a, aTrace)</c>: f, its divergence, and the VJPs of both (aᵀ∂f/∂· + aTrace·∂div/∂·), by reverse
    /// mode over the FlowDynamics kernel: the adjoint of a flow with the second-order terms written out.
    /// </summary>
    FlowVjp,
}

/// <summary>
/// One function of a model as a graph: its inputs (<see cref="IrInput"/> nodes), a typed, hash-consed DAG of nodes in
/// topological order, the statements that name nodes of it (each remembering the source statement it comes from),
/// and the outputs it returns. Every kernel — the forward dynamics and everything derived from them — has this one
/// shape, so passes, printers and backends handle all of them alike.
/// </summary>
/// <remarks>
/// A derived kernel starts with the nodes of the kernel it derives from, at the same indices, so its statements can
/// read the forward values (tanh′ reads the stored tanh) and its comments can quote them.
/// </remarks>
/// <param name="Kind">Which function this is.</param>
/// <param name="Nodes">The DAG; operands always refer to earlier nodes.</param>
/// <param name="Statements">The named values, in the order the function computes them.</param>
/// <param name="Outputs">What the function returns.</param>
/// <param name="Annotations">What some unnamed nodes mean (the adjoint of a forward value, …), for generated names and comments.</param>
public sealed record IrKernel(
    IrKernelKind Kind,
    EquatableArray<IrNode> Nodes,
    EquatableArray<IrStatement> Statements,
    EquatableArray<IrOutput> Outputs,
    EquatableArray<IrAnnotation> Annotations)
{
    public IrNode this[IrValue value] => Nodes[value.Index];

    /// <summary>The input nodes, in node order.</summary>
    public IEnumerable<(IrValue Value, IrInput Input)> Inputs =>
        Nodes.Select((node, index) => (new IrValue(index), node as IrInput)).Where(pair => pair.Item2 is not null).Select(pair => (pair.Item1, pair.Item2!));

    /// <summary>The output for <paramref name="of"/> in the given role, or null when the kernel has none (f does not depend on it).</summary>
    public IrValue? Output(IrRole role, IrSymbol of)
    {
        foreach (IrOutput output in Outputs)
        {
            if (output.Role == role && output.Of == of)
                return output.Value;
        }
        return null;
    }
}

/// <summary>What a statement or output computes about its <see cref="IrSymbol"/>.</summary>
public enum IrRole
{
    /// <summary>The value of a <c>let</c>.</summary>
    Let,
    /// <summary>The time derivative of a state: its right-hand side.</summary>
    Derivative,
    /// <summary>An adjoint: aᵀ∂f/∂(symbol), as a running sum in statements and as the total in outputs.</summary>
    Adjoint,
    /// <summary>A tangent: (∂(symbol)/∂y)·v for a let, (∂f_i/∂y)·v for a state's derivative (directed: one per basis direction v = e_j).</summary>
    Tangent,
    /// <summary>The divergence tr(∂f/∂y) of a state's derivative, per sample.</summary>
    Divergence,
}

/// <summary>What a symbol names.</summary>
public enum IrSymbolKind
{
    /// <summary>A state (index into <see cref="IrModel.States"/>).</summary>
    State,
    /// <summary>A parameter (index into <see cref="IrModel.Parameters"/>).</summary>
    Parameter,
    /// <summary>The time (index 0).</summary>
    Time,
    /// <summary>A let (index into <see cref="IrModel.LetNames"/>).</summary>
    Let,
    /// <summary>Any other node of the forward kernel (its index).</summary>
    Node,
}

/// <summary>A named thing of the model that statements and outputs are about.</summary>
public sealed record IrSymbol(IrSymbolKind Kind, int Index)
{
    public static IrSymbol State(int index) => new(IrSymbolKind.State, index);

    public static IrSymbol Parameter(int index) => new(IrSymbolKind.Parameter, index);

    public static IrSymbol Time { get; } = new(IrSymbolKind.Time, 0);

    public static IrSymbol Let(int index) => new(IrSymbolKind.Let, index);

    public static IrSymbol Node(int index) => new(IrSymbolKind.Node, index);
}

/// <summary>Where a statement came from: its 1-based line and its source text with whitespace and comments normalised.</summary>
public sealed record IrOrigin(int Line, string Source);

/// <summary>
/// After this statement, <see cref="Role"/> of <see cref="Of"/> is <see cref="Value"/>: <c>let h = …</c>,
/// <c>dx/dt = …</c>, or a running sum <c>∂x = …</c> of a reverse pass. <see cref="Origin"/> is the source statement it
/// implements, quoted by the generated comment and mapped by <c>#line</c>.
/// </summary>
public sealed record IrStatement(IrRole Role, IrSymbol Of, IrValue Value, IrOrigin Origin);

/// <summary>A value the kernel returns: <see cref="Role"/> of <see cref="Of"/>.</summary>
public sealed record IrOutput(IrRole Role, IrSymbol Of, IrValue Value);

/// <summary>
/// Says that <see cref="Value"/> is <see cref="Role"/> of <see cref="Of"/> (negated when <see cref="Negated"/>):
/// knowledge a pass has that the emitter uses for names and comments only, never for what it computes.
/// </summary>
public sealed record IrAnnotation(IrValue Value, IrRole Role, IrSymbol Of, bool Negated);
