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
    public void ElementwiseFunctionsMatchTheirDefinitions()
    {
        double[] x = { 0.3, -0.7 };
        Tensor a = tensor(x);
        void Check(System.Func<double, double> f, Tensor actual) =>
            Assert.Equal(System.Array.ConvertAll(x, v => f(v)), Values(actual), new ToleranceComparer(1e-12));
        Check(System.Math.Sinh, Dsl.sinh(a));
        Check(System.Math.Cosh, Dsl.cosh(a));
        Check(System.Math.Asinh, Dsl.asinh(a));
        Check(System.Math.Atanh, Dsl.atanh(a));
        Check(System.Math.Atan, Dsl.atan(a));
        Check(v => System.Math.Pow(2, v), Dsl.exp2(a));
        Check(v => System.Math.Log(1 + v), Dsl.log1p(a));
        Check(v => System.Math.Exp(v) - 1, Dsl.expm1(a));
        Check(v => v / (1 + System.Math.Exp(-v)), Dsl.silu(a));
        Check(v => System.Math.Sign(v), Dsl.sign(a));
        Check(v => v * v, Dsl.square(a));
        Check(v => v * v * v, Dsl.cube(a));
        Check(v => System.Math.Min(System.Math.Max(v, -0.5), 0.25), Dsl.clamp(a, -0.5, 0.25));
        Check(v => System.Math.Min(System.Math.Max(v, -0.5), 0.25), Dsl.clamp(a, tensor(-0.5), tensor(0.25)));
        // erf(0.3), erf(−0.7) to 15 digits; gelu = x·(1 + erf(x/√2))/2.
        Check(v => v == 0.3 ? 0.328626759459127 : -0.677801193837418, Dsl.erf(a));
        Assert.Equal(Values(a * 0.5 * (1 + (a / System.Math.Sqrt(2)).erf())), Values(Dsl.gelu(a)), new ToleranceComparer(1e-15));
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
