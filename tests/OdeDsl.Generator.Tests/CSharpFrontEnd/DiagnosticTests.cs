using System.Linq;
using OdeDsl.Language;
using Xunit;

namespace OdeDsl.Generator.Tests.CSharpFrontEnd;

/// <summary>
/// Every construct outside the C# front end's subset is one diagnostic at the exact syntax node (line and column of
/// the .cs text, 1-based), with a message that says what to write instead. None throws.
/// </summary>
public sealed class DiagnosticTests
{
    // The class header is line 8 of the file (after the usings, the namespace and [OdeModel]), its members start on line 10.
    private static string Model(string header, string body) => CSharpModelSources.Usings + $$"""
        namespace Tests;

        [OdeModel]
        {{header}}
        {
        {{body}}
        }
        """;

    private static string Dynamics(string statements, string members = "    [State] Tensor x;") =>
        Model("public partial class M", members + "\n    void Dynamics(Tensor t)\n    {\n" + statements + "\n    }");

    public static TheoryData<string, string, int, int, string> Cases => new()
    {
        // ID, source, line, column, a part of the message
        { "ODE0302", Model("public class M", "    [State] Tensor x;\n    void Dynamics(Tensor t) { dx = -x; }"), 8, 14, "must be declared 'partial'" },
        { "ODE0303", Model("public partial class M<T>", "    [State] Tensor x;\n    void Dynamics(Tensor t) { dx = -x; }"), 8, 22, "is generic" },
        { "ODE0304", Model("public partial class M", "    [State] Tensor x;"), 8, 22, "has no method 'Dynamics'" },
        { "ODE0304", Model("public partial class M", "    [State] Tensor x;\n    Tensor Dynamics(Tensor t) { return x; }"), 11, 5, "returning 'Tensor'" },
        { "ODE0304", Model("public partial class M", "    [State] Tensor x;\n    void Dynamics(double t) { dx = -x; }"), 11, 18, "takes one parameter, the time 't' as a Tensor" },
        { "ODE0301", Dynamics("        for (int i = 0; i < 3; i++) { dx = -x; }"), 13, 9, "A loop is not supported" },
        { "ODE0301", Dynamics("        if (t.item<float>() > 0) dx = -x;"), 13, 9, "An 'if' statement is not supported" },
        { "ODE0301", Dynamics("        dx = x % 2;"), 13, 14, "The operator '%'" },
        { "ODE0301", Dynamics("        dx += x;"), 13, 9, "The compound assignment '+='" },
        { "ODE0301", Dynamics("        System.Func<Tensor, Tensor> f = v => -v;\n        dx = -x;"), 13, 41, "A lambda" },
        { "ODE0305", Dynamics("        dx = torch.erfc(x);"), 13, 14, "'torch.erfc' cannot be compiled" },
        { "ODE0305", Dynamics("        dx = x.sum(0);"), 13, 14, "'x.sum' cannot be compiled" },
        { "ODE0305", Dynamics("        dx = System.Math.Exp(1.0) * x;"), 13, 14, "'System.Math.Exp' cannot be compiled" },
        { "ODE0305", Dynamics("        dx = Tanh(x);"), 13, 14, "Did you mean 'tanh'?" },
        { "ODE0307", Dynamics("        x = -x;\n        dx = -x;"), 13, 9, "assign its derivative 'dx' instead" },
        { "ODE0307", Dynamics("        dq = -x;\n        dx = -x;"), 13, 9, "declare the state with [State]" },
        { "ODE0306", Dynamics("        dx = -x;", "    [State] double x;"), 10, 13, "a [State] field is a 'Tensor'" },
        { "ODE0306", Dynamics("        dx = -k * x;", "    [State] Tensor x;\n    static double K = 2;\n    [Param(K)] Tensor k;"), 12, 12, "not a constant number" },
        { "ODE0306", Dynamics("        dx = -mu * x;", "    [State] Tensor x;\n    [Const] double mu;"), 11, 20, "without a value" },
        { "ODE0304", Model("public partial class M", "    [State] Tensor x;\n    async void Dynamics(Tensor t) { dx = -x; }"), 11, 5, "async" },
        { "ODE0303", "using OdeDsl;\nusing Tensor = TorchSharp.torch.Tensor;\nnamespace Tests;\npublic class Outer\n{\n    [OdeModel]\n    public partial class M\n    {\n        [State] Tensor x;\n        void Dynamics(Tensor t) { dx = -x; }\n    }\n}", 7, 26, "is nested in 'Outer', which is not partial" },
        // The shared binder's diagnostics, at the C# positions.
        { "ODE0103", Dynamics("        var h = -x;", "    [State] Tensor x;"), 10, 20, "has no equation" },
        { "ODE0101", Dynamics("        dx = -k * x;"), 13, 15, "'k'" },
        { "ODE0106", Dynamics("        dx = -x;\n        dx = x;"), 14, 10, "already has an equation at line 13" },
        { "ODE0201", Dynamics("        dv = v;\n        dx = sum(matmul(W, v));", "    [State] Tensor x;\n    [State(3)] Tensor v;\n    [Param(Init.Zeros, 2, 2)] Tensor W;"), 16, 18, "Shape mismatch in 'W @ v'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void UnsupportedCodeIsOneDiagnosticAtItsNode(string id, string source, int line, int column, string message)
    {
        OdeCompilation compilation = ModelClassReaderHarness.Compile(source);

        OdeDiagnostic diagnostic = Assert.Single(compilation.Diagnostics, d => d.Severity == OdeSeverity.Error);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(ModelClassReaderHarness.FilePath, diagnostic.FilePath);
        Assert.Equal((line, column), (diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Contains(message, diagnostic.Message);
        Assert.Empty(compilation.Models);
    }
}
