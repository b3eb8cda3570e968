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
        ModelEmitter.Emit(IrOptimizer.Optimize(IrTestModels.Lower(source)))[0].Text;

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

        Assert.Contains("public M(double mu = 1000.0) : this((global::TorchSharp.torch.ScalarType?)null, null, mu)", code);
        Assert.Contains("public M(global::TorchSharp.torch.ScalarType? dtype, global::TorchSharp.torch.Device? device = null, double mu = 1000.0) : base(\"M\", dtype, device)", code);
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

    /// <summary>The TorchSharp operations forward() dispatches: every method call in its body but <c>size</c>.</summary>
    private static int ForwardOps(string code)
    {
        string body = code.Substring(code.IndexOf("public override global::TorchSharp.torch.Tensor forward(", System.StringComparison.Ordinal));
        body = string.Join("\n", body.Split('\n').Where(line => !line.TrimStart().StartsWith("//", System.StringComparison.Ordinal) && !line.StartsWith("#", System.StringComparison.Ordinal)).Skip(1));
        return System.Text.RegularExpressions.Regex.Matches(body, @"\.(\w+)\(").Count(m => m.Groups[1].Value != "size");
    }

    [Fact]
    public void SpiralForwardIsFourOperations()
    {
        string code = Forward(IrTestModels.SpecModelText("spiral.ode"));

        Assert.Contains("var y = packed;", code);
        Assert.Contains("var h = global::TorchSharp.torch.nn.functional.linear(y.pow(Scalar_3), this._W1, this._b1).tanh();", code);
        Assert.Contains("var dy = global::TorchSharp.torch.nn.functional.linear(h, this._W2, this._b2);", code);
        Assert.Contains("return dy;", code);
        Assert.Equal(4, ForwardOps(code));
    }

    [Fact]
    public void LayersOnTimeConcatenationsShareOneTimeColumn()
    {
        string code = Forward(IrTestModels.SpecModelText("mlp_time.ode"));

        Assert.Contains("var time = t.expand(y.size(0));", code);
        Assert.Contains("var timeColumn = time.unsqueeze(1);", code);
        Assert.Contains("global::TorchSharp.torch.nn.functional.linear(global::TorchSharp.torch.cat(new[] { h, timeColumn }, 1), this._l1.Weight, this._l1.Bias).neg().log_sigmoid().neg()", code);
        Assert.Equal(14, ForwardOps(code));   // each softplus is three ops: −log σ(−x)
    }

    [Fact]
    public void ConcatenatedConsecutiveStatesAreThePackedStateItself()
    {
        string code = Forward(IrTestModels.SpecModelText("damped_pendulum.ode"));

        Assert.Contains("var s = y;", code);
        Assert.Contains("var correction = global::TorchSharp.torch.nn.functional.linear(s, this._W1, this._b1).tanh().matmul(this._w2);", code);
    }

    [Fact]
    public void BatchedScalarsBroadcastAsColumnsAgainstVectors()
    {
        string code = Forward("model M { state x, v[2]; param w[2] ~ ones; dx/dt = x; dv/dt = x * v + w * x; }");

        Assert.Contains("var x = y.select(1, 0);", code);
        Assert.Contains("var xColumn = x.unsqueeze(1);", code);
        Assert.Contains("var v = y.narrow(1, 1, 2);", code);
        Assert.Contains("global::TorchSharp.torch.addcmul(xColumn.mul(v), this._w, xColumn, Scalar_1)", code);
        Assert.Contains("return global::TorchSharp.torch.cat(new[] { dx.unsqueeze(1), dv }, 1);", code);
    }

    [Fact]
    public void ModelsWithoutTimeDoNotTouchIt()
    {
        string code = Forward(IrTestModels.SpecModelText("lorenz.ode"));

        Assert.DoesNotContain("t.expand", code);
    }

    [Fact]
    public void TensorParametersAreDrawnWithTorchInit()
    {
        string code = Forward("model M { state v[2]; param A[2, 2] ~ kaiming; param b[2] ~ uniform(-1, 1); param c[2] ~ constant(0.5); param d[2] ~ ones; dv/dt = A @ v + b * c * d; }");

        const string InDtype = "dtype: this.ParameterDtype, device: this.ParameterDevice";
        Assert.Contains($"RegisterParameter(\"A\", global::TorchSharp.torch.nn.init.kaiming_uniform_(global::TorchSharp.torch.empty(new long[] {{ 2, 2 }}, {InDtype})));", code);
        Assert.Contains($"RegisterParameter(\"b\", global::TorchSharp.torch.nn.init.uniform_(global::TorchSharp.torch.empty(new long[] {{ 2 }}, {InDtype}), -1.0, 1.0));", code);
        Assert.Contains($"RegisterParameter(\"c\", global::TorchSharp.torch.full(new long[] {{ 2 }}, 0.5, {InDtype}));", code);
        Assert.Contains($"RegisterParameter(\"d\", global::TorchSharp.torch.ones(new long[] {{ 2 }}, {InDtype}));", code);
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
