using System.Linq;
using OdeDsl.Language.Emit;
using OdeDsl.Language.Ir;
using OdeDsl.Language.Passes;
using OdeDsl.Language.Tests.Ir;
using OdeDsl.Language.Tests.Verification;
using Xunit;

namespace OdeDsl.Language.Tests.Emit;

public sealed class EmitterTests
{
    private static string Forward(string source) =>
        ModelEmitter.Emit(IrOptimizer.Optimize(IrTestModels.Lower(source))).Text;

    [Fact]
    public void SharedSubexpressionIsComputedOnceInItsOwnLocal()
    {
        string code = Forward("model M { state x, y, z; dx/dt = x * y + z; dy/dt = exp(x * y); dz/dt = -z; }");

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(code, @"x\.mul\(y\)").Cast<object>());
        Assert.Contains("var common = x.mul(y);", code);
        Snapshot.Verify(code);
    }

    [Fact]
    public void FusedMultiplyAddUsesAddcmulAndScalarAlpha()
    {
        string code = Forward("model M { state x, y; param k = 1.0; const c = 2.0; dx/dt = y - k * x; dy/dt = x + 3 * y; }");

        Assert.Contains("global::TorchSharp.torch.addcmul(y, this._k, x, Scalar_m1)", code);
        Assert.Contains("x.add(y, Scalar_3)", code);
    }

    [Fact]
    public void ConstantsBecomeOptionalConstructorArgumentsAndCachedScalars()
    {
        string code = Forward("model M { state x; const mu = 1000.0; dx/dt = mu * x; }");

        Assert.Contains("public M(double mu = 1000.0) : base(\"M\")", code);
        Assert.Contains("this._mu = mu;", code);
        Assert.Contains("x.mul(this._mu)", code);
    }

    [Fact]
    public void UnbatchedAndConstantEquationsAreBroadcastToTheBatch()
    {
        string code = Forward("model M { state x, y; param k = 1.0; dx/dt = k; dy/dt = 2.0; }");

        Assert.Contains(".expand(new long[] { packed.size(0) })", code);
        Assert.Contains("global::TorchSharp.torch.full(new long[] { packed.size(0) }, Scalar_2, dtype: packed.dtype, device: packed.device)", code);
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(2.6666666666666665, "2.6666666666666665")]
    [InlineData(3e7, "30000000.0")]
    [InlineData(1e-5, "1E-05")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1e300, "1E+300")]
    public void DoublesRoundTripAndStayDoubles(double value, string expected) =>
        Assert.Equal(expected, CSharpLiterals.Double(value));

    [Fact]
    public void CommentTextCannotCloseACommentOrBreakALine()
    {
        string text = CommentText.Statement("dx/dt = x */ \n #line 1 \"evil\" \u2028 <b>");
        Assert.DoesNotContain("*/", text);
        Assert.DoesNotContain("\n", text);
        Assert.DoesNotContain("\"", text);
        Assert.DoesNotContain("\u2028", text);
        Assert.DoesNotContain("<", text);
    }

    [Fact]
    public void NameScopeEscapesKeywordsAndAvoidsCollisions()
    {
        var scope = new NameScope(new[] { "_to" });
        Assert.Equal("@class", scope.Claim("class"));
        Assert.Equal("_to_2", scope.Claim("_to"));
        Assert.Equal("_1", scope.Claim("_"));
        Assert.Throws<System.InvalidOperationException>(() => scope.Claim("a*/b"));
    }
}
