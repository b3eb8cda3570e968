using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using OdeDsl.Language.Ast;

namespace OdeDsl.Language.Semantics;

/// <summary>
/// Orders the lets so that each comes after the lets it uses (declaration order otherwise), and
/// reports each cycle once, with its path. Lets on a cycle are left out of the order.
/// </summary>
internal static class LetOrder
{
    public static IReadOnlyList<LetDeclaration> Order(IReadOnlyList<LetDeclaration> lets, Scope scope, DiagnosticBag diagnostics)
    {
        var byName = new Dictionary<string, LetDeclaration>();
        foreach (LetDeclaration let in lets)
        {
            if (!byName.ContainsKey(let.Name.Text))
                byName.Add(let.Name.Text, let);
        }
        var walk = new Walk(byName, scope, diagnostics);
        foreach (LetDeclaration let in lets)
            walk.Visit(let);
        return walk.Ordered;
    }

    private sealed class Walk
    {
        private readonly Dictionary<string, LetDeclaration> byName;
        private readonly Scope scope;
        private readonly DiagnosticBag diagnostics;
        private readonly HashSet<LetDeclaration> done = new();
        private readonly HashSet<LetDeclaration> onCycle = new();
        private readonly List<LetDeclaration> path = new();

        public Walk(Dictionary<string, LetDeclaration> byName, Scope scope, DiagnosticBag diagnostics)
        {
            this.byName = byName;
            this.scope = scope;
            this.diagnostics = diagnostics;
        }

        public List<LetDeclaration> Ordered { get; } = new();

        public void Visit(LetDeclaration let)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            if (done.Contains(let))
                return;
            int start = path.IndexOf(let);
            if (start >= 0)
            {
                ReportCycle(path.Skip(start).ToList());
                return;
            }
            path.Add(let);
            foreach (string used in UsedLets(let.Value))
                Visit(byName[used]);
            path.RemoveAt(path.Count - 1);
            done.Add(let);
            if (!onCycle.Contains(let))
                Ordered.Add(let);
        }

        private void ReportCycle(List<LetDeclaration> cycle)
        {
            if (cycle.Any(onCycle.Contains))
                return;
            onCycle.UnionWith(cycle);
            var names = cycle.Select(l => l.Name.Text).ToList();
            names.Add(names[0]);
            diagnostics.Add(DiagnosticCatalog.LetCycle(diagnostics.FilePath, cycle[0].Name.Span, cycle[0].Name.Text, names));
        }

        /// <summary>The lets an expression names, in order of first use.</summary>
        private IEnumerable<string> UsedLets(Expression expression)
        {
            var names = new List<string>();
            Collect(expression, names);
            return names.Distinct().Where(n => byName.ContainsKey(n) && scope.Lookup(n)?.Kind == SymbolKind.Let).ToList();
        }

        private static void Collect(Expression expression, List<string> names)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (expression)
            {
                case NameReference r:
                    names.Add(r.Name);
                    break;
                case NegateExpression n:
                    Collect(n.Operand, names);
                    break;
                case BinaryExpression b:
                    Collect(b.Left, names);
                    Collect(b.Right, names);
                    break;
                case CallExpression c:
                    foreach (Expression a in c.Arguments)
                        Collect(a, names);
                    break;
                case ConcatenationExpression c:
                    foreach (Expression p in c.Parts)
                        Collect(p, names);
                    break;
                case IndexExpression i:
                    Collect(i.Target, names);
                    Collect(i.Index, names);
                    break;
                case SliceExpression s:
                    Collect(s.Target, names);
                    if (s.Start is not null)
                        Collect(s.Start, names);
                    if (s.End is not null)
                        Collect(s.End, names);
                    break;
            }
        }
    }
}
