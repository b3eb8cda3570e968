using System.Collections.Generic;
using System.Linq;

namespace OdeDsl.Language.Ir;

/// <summary>
/// Appends nodes to a model's graph. With <c>shareEqualNodes</c> it hash-conses: adding a node equal to one already
/// present (commutative operands in either order) returns the existing value, which is how common subexpressions
/// become one node.
/// </summary>
public sealed class IrGraphBuilder
{
    private readonly List<IrNode> nodes = new();
    private readonly Dictionary<IrNode, IrValue>? existing;

    public IrGraphBuilder(bool shareEqualNodes) => existing = shareEqualNodes ? new Dictionary<IrNode, IrValue>() : null;

    public IrNode this[IrValue value] => nodes[value.Index];

    public IrValue Add(IrNode node)
    {
        if (existing is null)
            return Append(node);
        IrNode key = CanonicalKey(node);
        if (existing.TryGetValue(key, out IrValue found))
            return found;
        IrValue added = Append(node);
        existing.Add(key, added);
        return added;
    }

    public EquatableArray<IrNode> ToNodes() => nodes.ToEquatableArray();

    private IrValue Append(IrNode node)
    {
        nodes.Add(node);
        return new IrValue(nodes.Count - 1);
    }

    // a+b and b+a are the same value in IEEE arithmetic: key them with ordered operands (the node keeps the order
    // it was written in, so the output reads like the source).
    private static IrNode CanonicalKey(IrNode node) => node switch
    {
        IrBinary binary when IrOperatorFacts.IsCommutative(binary.Operator) && binary.Left.Index > binary.Right.Index =>
            binary with { Left = binary.Right, Right = binary.Left },
        IrCall call when IrOperatorFacts.IsCommutative(call.Function) =>
            call with { Arguments = call.Arguments.OrderBy(argument => argument.Index).ToEquatableArray() },
        _ => node,
    };
}
