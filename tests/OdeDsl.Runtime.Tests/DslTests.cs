using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

/// <summary>
/// The Dsl functions an [OdeModel] class's Dynamics calls have the language's per-sample meaning: checked on one
/// sample against the definitions written out by hand.
/// </summary>
public sealed class DslTests
{
    private static double[] Values(Tensor t) => t.to_type(ScalarType.Float64).data<double>().ToArray();

    [Fact]
    public void ConcatenationJoinsScalarsAndVectorsIntoOneVector()
    {
        Tensor joined = Dsl.cat(tensor(1.0), tensor(new[] { 2.0, 3.0 }), tensor(4.0));
        Assert.Equal(new[] { 4L }, joined.shape);
        Assert.Equal(new[] { 1.0, 2.0, 3.0, 4.0 }, Values(joined));
    }

    [Fact]
    public void SliceTakesStartToEndExclusive()
    {
        Tensor v = tensor(new[] { 10.0, 11.0, 12.0, 13.0 });
        Assert.Equal(new[] { 11.0, 12.0 }, Values(Dsl.slice(v, 1, 3)));
    }

    [Fact]
    public void ReductionsAndProductsMatchTheirDefinitions()
    {
        Tensor a = tensor(new[] { 3.0, -4.0 });
        Tensor b = tensor(new[] { 2.0, 0.5 });
        Assert.Equal(5.0, Dsl.norm(a).item<double>(), 12);
        Assert.Equal(3.0 * 2.0 - 4.0 * 0.5, Dsl.dot(a, b).item<double>(), 12);
        Assert.Equal(-1.0, Dsl.sum(a).item<double>(), 12);
        Assert.Equal(-0.5, Dsl.mean(a).item<double>(), 12);
        Assert.Equal(new[] { 9.0, 16.0 }, Values(Dsl.pow(a, 2)));
        Assert.Equal(new[] { 2.0, -4.0 }, Values(Dsl.min(a, b)));
        Assert.Equal(new[] { 3.0, 0.5 }, Values(Dsl.max(a, b)));
        Assert.Equal(new[] { System.Math.Log(1 + System.Math.Exp(3.0)), System.Math.Log(1 + System.Math.Exp(-4.0)) }, Values(Dsl.softplus(a)), new ToleranceComparer(1e-12));
        Assert.Equal(new[] { 3.0, System.Math.Exp(-4.0) - 1.0 }, Values(Dsl.elu(a)), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void MatmulIsMatrixTimesVectorForOneSample()
    {
        Tensor w = tensor(new[] { 1.0, 2.0, 3.0, 4.0 }).reshape(2, 2);
        Tensor v = tensor(new[] { 1.0, -1.0 });
        Assert.Equal(new[] { -1.0, -1.0 }, Values(Dsl.matmul(w, v)));
    }

    private sealed class ToleranceComparer : System.Collections.Generic.IEqualityComparer<double>
    {
        private readonly double tolerance;

        public ToleranceComparer(double tolerance) => this.tolerance = tolerance;

        public bool Equals(double x, double y) => System.Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
