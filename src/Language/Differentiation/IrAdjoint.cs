using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Differentiation;

/// <summary>What an adjoint accumulates into: a named value of the model, or a forward node shared by statements.</summary>
public enum AdjointTargetKind
{
    /// <summary>A state (index into <see cref="IrModel.States"/>): its total is aᵀ∂f/∂y for those columns.</summary>
    State,
    /// <summary>A parameter (index into <see cref="IrModel.Parameters"/>): its total is aᵀ∂f/∂θ summed over the batch.</summary>
    Parameter,
    /// <summary>The time (index 0): its total is aᵀ∂f/∂t per sample.</summary>
    Time,
    /// <summary>A let (index into <see cref="IrModel.Lets"/>).</summary>
    Let,
    /// <summary>Any other forward node (its index) read by more than one statement.</summary>
    Node,
}

/// <summary>The adjoint of <see cref="Kind"/> number <see cref="Index"/>.</summary>
public sealed record AdjointTarget(AdjointTargetKind Kind, int Index);

/// <summary>After this statement the adjoint of <see cref="Target"/> accumulated so far is <see cref="Value"/>.</summary>
public sealed record AdjointStatement(AdjointTarget Target, IrValue Value);

/// <summary>The total adjoint of a forward node as its rule used it: <see cref="Value"/>, or minus it when <see cref="Negated"/>.</summary>
public sealed record AdjointOfNode(int Node, IrValue Value, bool Negated);

/// <summary>
/// The reverse pass through one forward statement: the adjoints it adds to the values the statement reads, as
/// running sums, one per target, in the order they were completed.
/// </summary>
/// <param name="Statement">The forward statement differentiated: its index among the lets, or among the equations.</param>
/// <param name="IsEquation">Whether <paramref name="Statement"/> indexes <see cref="IrModel.Equations"/> (else <see cref="IrModel.Lets"/>).</param>
/// <param name="Origin">The statement's line and source text, quoted by the generated comment.</param>
/// <param name="Statements">The running sums completed in this block.</param>
public sealed record AdjointBlock(int Statement, bool IsEquation, IrOrigin Origin, EquatableArray<AdjointStatement> Statements);

/// <summary>
/// The derivative IR of a model: the forward graph extended with the reverse (adjoint) nodes, in one hash-consed
/// DAG, so a reverse node reuses forward values (<c>tanh</c>'s derivative reads the stored <c>h</c>) and equal
/// reverse subexpressions are computed once.
/// </summary>
/// <remarks>
/// For a cotangent <c>a</c> (<see cref="IrCotangentRead"/>, one per state) the results are aᵀ∂f/∂y per state,
/// aᵀ∂f/∂θ per parameter (summed over the batch) and aᵀ∂f/∂t (summed over the batch). A value whose forward node is
/// absent from the list does not influence f: its adjoint is zero (or, for the time, null).
/// Like <see cref="IrModel"/>, it holds only equatable data, and it is a function of the forward model alone.
/// </remarks>
/// <param name="Graph">The forward model with its node table extended by the reverse nodes (forward nodes first).</param>
/// <param name="ForwardNodeCount">How many of <see cref="IrModel.Nodes"/> are forward nodes.</param>
/// <param name="Blocks">The reverse pass, one block per forward statement in reverse order (equations last to first, then lets).</param>
/// <param name="Results">The final adjoint of each state, parameter and the time that f depends on (the time's summed over the batch).</param>
/// <param name="NodeAdjoints">The total adjoint of every forward node that has one, as its derivative rule read it (for naming and comments).</param>
public sealed record IrAdjoint(
    IrModel Graph,
    int ForwardNodeCount,
    EquatableArray<AdjointBlock> Blocks,
    EquatableArray<AdjointStatement> Results,
    EquatableArray<AdjointOfNode> NodeAdjoints)
{
    /// <summary>The node holding the target's final adjoint, or null when f does not depend on it.</summary>
    public IrValue? Result(AdjointTargetKind kind, int index)
    {
        foreach (AdjointStatement result in Results)
        {
            if (result.Target.Kind == kind && result.Target.Index == index)
                return result.Value;
        }
        return null;
    }
}
