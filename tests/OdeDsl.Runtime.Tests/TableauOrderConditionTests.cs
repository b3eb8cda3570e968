using System;
using System.Collections.Generic;
using System.Linq;
using OdeDsl.Tableaux;
using Xunit;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// Butcher's theorem: a Runge–Kutta method has order p iff Σ_i b_i Φ_i(τ) = 1/γ(τ) for every rooted tree τ with at
/// most p nodes (Φ the elementary weights, γ the density). Checked for every tableau, its embedded solution and its
/// dense output (Σ_j b_j(θ) Φ_j(τ) = θ^|τ|/γ(τ)), independently of any solve.
/// </summary>
public class TableauOrderConditionTests
{
    private static readonly ButcherTableau[] All =
    {
        Dopri5.Tableau, Tsit5.Tableau, Dopri8.Tableau, Bosh3.Tableau, Fehlberg2.Tableau, AdaptiveHeun.Tableau,
        FixedStepTableaux.Euler, FixedStepTableaux.Midpoint, FixedStepTableaux.Heun3, FixedStepTableaux.Rk4,
    };

    public static IEnumerable<object[]> Tableaux() => All.Select(t => new object[] { t.Name });

    public static IEnumerable<object[]> AdaptiveTableaux() => All.Where(t => t.IsAdaptive).Select(t => new object[] { t.Name });

    public static IEnumerable<object[]> DenseOutputs() =>
        from t in All where t.DenseOutput is not null from theta in new[] { 0.25, 0.5, 0.8, 1.0 } select new object[] { t.Name, theta };

    private static ButcherTableau Find(string name) => All.Single(t => t.Name == name);

    [Fact]
    public void EveryMethodHasATableau()
    {
        foreach (OdeMethod method in Enum.GetValues<OdeMethod>())
            Assert.Equal(method.ToString().ToLowerInvariant(), Methods.Tableau(method).Name.Replace("_", ""));
    }

    [Theory]
    [MemberData(nameof(Tableaux))]
    public void TheSolutionHasExactlyTheStatedOrder(string name)
    {
        ButcherTableau tableau = Find(name);
        for (int i = 1; i < tableau.Stages; i++)
            Assert.True(Math.Abs(tableau.C[i] - tableau.A[i - 1].Sum()) < 1e-14, $"{name}: c[{i}] is not the sum of row {i} of a");
        Assert.True(SatisfiesOrder(tableau, tableau.B, tableau.Order), $"{name} fails an order-{tableau.Order} condition");
        Assert.False(SatisfiesOrder(tableau, tableau.B, tableau.Order + 1), $"{name} is of higher order than stated");
    }

    [Theory]
    [MemberData(nameof(AdaptiveTableaux))]
    public void TheEmbeddedSolutionHasExactlyTheStatedOrder(string name)
    {
        ButcherTableau tableau = Find(name);
        double[] embedded = tableau.B.Zip(tableau.ErrorWeights!, (b, e) => b - e).ToArray();
        Assert.True(SatisfiesOrder(tableau, embedded, tableau.EmbeddedOrder), $"{name}: embedded solution fails order {tableau.EmbeddedOrder}");
        Assert.False(SatisfiesOrder(tableau, embedded, tableau.EmbeddedOrder + 1), $"{name}: embedded solution is of higher order than stated");
    }

    /// <summary>
    /// The continuous order conditions Σ_j b_j(θ) Φ_j(τ) = θ^|τ|/γ(τ) for every tree up to the stated dense output
    /// order, at several θ (the end slope being the last stage, whatever state it was evaluated at).
    /// </summary>
    [Theory]
    [MemberData(nameof(DenseOutputs))]
    public void TheDenseOutputHasTheStatedOrderAtEveryTheta(string name, double theta)
    {
        ButcherTableau tableau = Find(name);
        double[] weights = DenseWeights(tableau, theta);
        foreach (Tree tree in Tree.UpTo(tableau.DenseOutputOrder))
            Assert.Equal(Math.Pow(theta, tree.Order) / tree.Density, Dot(weights, tree.Weights(tableau)), 12);
    }

    [Theory]
    [MemberData(nameof(AdaptiveTableaux))]
    public void TheDenseOutputIsNotOfHigherOrderThanStated(string name)
    {
        ButcherTableau tableau = Find(name);
        double[] weights = DenseWeights(tableau, 0.25);
        Assert.Contains(Tree.UpTo(tableau.DenseOutputOrder + 1),
            tree => Math.Abs(Dot(weights, tree.Weights(tableau)) - Math.Pow(0.25, tree.Order) / tree.Density) > 1e-9);
    }

    [Theory]
    [InlineData("dopri5", true, true)]
    [InlineData("tsit5", true, true)]
    [InlineData("dopri8", true, true)]
    [InlineData("bosh3", true, true)]
    [InlineData("fehlberg2", false, true)]
    [InlineData("adaptive_heun", false, true)]
    [InlineData("rk4", false, false)]
    [InlineData("heun3", false, false)]
    public void TheNextStepStartsFromTheLastStageAsTorchdiffeqDoes(string name, bool fsal, bool reusesLastStage)
    {
        ButcherTableau tableau = Find(name);
        Assert.Equal(fsal, tableau.IsFsal);
        Assert.Equal(reusesLastStage, tableau.ReusesLastStage);
    }

    private static double[] DenseWeights(ButcherTableau tableau, double theta)
    {
        double[,] w = tableau.DenseOutput!;
        return Enumerable.Range(0, tableau.Stages)
            .Select(j => Enumerable.Range(0, 4).Sum(p => w[j, p] * Math.Pow(theta, p + 1))).ToArray();
    }

    private static bool SatisfiesOrder(ButcherTableau tableau, double[] b, int order) =>
        Tree.UpTo(order).All(tree => Math.Abs(Dot(b, tree.Weights(tableau)) - 1.0 / tree.Density) < 1e-12);

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>A rooted tree: a root with a multiset of subtrees, kept sorted so that equal trees are equal lists.</summary>
    private sealed class Tree
    {
        private readonly Tree[] children;

        private Tree(Tree[] children)
        {
            this.children = children;
            Order = 1 + children.Sum(c => c.Order);
            Density = Order * children.Aggregate(1.0, (d, c) => d * c.Density);
            Key = "[" + string.Concat(children.Select(c => c.Key)) + "]";
        }

        public int Order { get; }

        public double Density { get; }

        private string Key { get; }

        /// <summary>Φ_i(τ) = Π over children σ of Σ_j a_ij Φ_j(σ); 1 for the single node.</summary>
        public double[] Weights(ButcherTableau t)
        {
            var phi = Enumerable.Repeat(1.0, t.Stages).ToArray();
            foreach (Tree child in children)
            {
                double[] inner = child.Weights(t);
                for (int i = 0; i < t.Stages; i++)
                    phi[i] *= i == 0 ? 0.0 : Enumerable.Range(0, i).Sum(j => t.A[i - 1][j] * inner[j]);
            }
            return phi;
        }

        /// <summary>All distinct rooted trees with 1..maxOrder nodes.</summary>
        public static List<Tree> UpTo(int maxOrder)
        {
            var byOrder = new List<List<Tree>> { new(), new() { new Tree(Array.Empty<Tree>()) } };
            for (int n = 2; n <= maxOrder; n++)
            {
                var trees = new Dictionary<string, Tree>();
                foreach (Tree[] forest in Forests(n - 1, byOrder))
                {
                    var tree = new Tree(forest.OrderBy(c => c.Key, StringComparer.Ordinal).ToArray());
                    trees.TryAdd(tree.Key, tree);
                }
                byOrder.Add(trees.Values.ToList());
            }
            return byOrder.SelectMany(t => t).ToList();
        }

        /// <summary>Every multiset of trees whose orders add up to <paramref name="total"/> (with repeats; deduplicated by key).</summary>
        private static IEnumerable<Tree[]> Forests(int total, List<List<Tree>> byOrder)
        {
            if (total == 0)
            {
                yield return Array.Empty<Tree>();
                yield break;
            }
            for (int first = 1; first <= total; first++)
                foreach (Tree t in byOrder[first])
                    foreach (Tree[] rest in Forests(total - first, byOrder))
                        yield return rest.Append(t).ToArray();
        }
    }
}
