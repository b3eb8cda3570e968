using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace OdeDsl.Generator.Tests;

/// <summary>
/// Every name the language accepts either generates C# that compiles without a warning, or is a located ODE
/// diagnostic: never a raw C# error or warning in generated code.
/// </summary>
public sealed class NameTests
{
    private static readonly GeneratorHarness.InMemoryText GoodFile = GeneratorHarness.File("lorenz.ode", GeneratorHarness.SpecModel("lorenz.ode"));

    public static TheoryData<string> Names => new()
    {
        // Members the generated class declares, or its base class OdeModel / TorchSharp's Module.
        "forward", "Vjp", "Jvp", "Jacobian", "Divergence", "DynamicsAndDivergence", "FlowVjp", "States", "ParameterInfos",
        "s_states", "s_parameterInfos", "Scalar_1", "Scalar_m1", "StateSize", "StateLayout", "RegisterScalarParameter",
        "RegisterParameter", "RegisterLinearLayer", "parameters", "to", "train", "eval", "Dispose", "call", "register_module",
        "GetType", "ToString", "Equals", "GetHashCode", "Finalize", "MemberwiseClone", "ReferenceEquals", "name", "_x",
        // All lowercase (CS8981 for a type), C# keywords and contextual keywords, reserved '__' names.
        "m", "lorenz", "int", "object", "this", "base", "__arglist", "__makeref", "__reftype", "__refvalue",
        "var", "dynamic", "nameof", "value", "global", "partial", "record", "file", "required", "scoped", "field",
        "async", "await", "yield", "when", "where", "select", "from", "unmanaged", "notnull", "managed", "args",
        "extension", "allows", "with", "and", "or", "not", "init", "get", "set", "add", "remove", "nint", "nuint",
        "_", "__", "___x", "System", "TorchSharp", "OdeDsl", "torch", "Tensor", "Scalar", "Parameter", "Math", "Consumer",
    };

    // The language's own keywords are reserved words of .ode (ODE0104), whatever C# thinks of them.
    private static readonly string[] OdeKeywords = { "namespace", "model", "flow", "state", "param", "const", "layer", "let" };

    /// <summary>Every contextual keyword the compiler knows (SyntaxFacts), beyond the hand-picked ones above.</summary>
    public static TheoryData<string> ContextualKeywords
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string text in SyntaxFacts.GetContextualKeywordKinds().Select(SyntaxFacts.GetText)
                         .Where(text => Language.Emit.CSharpNames.IsValidIdentifier(text) && !Names.Contains(text) && !OdeKeywords.Contains(text)).Distinct())
                data.Add(text);
            return data;
        }
    }

    [Fact]
    public void EveryReservedCSharpKeywordIsEscaped()
    {
        string[] keywords = SyntaxFacts.GetReservedKeywordKinds().Select(SyntaxFacts.GetText).ToArray();
        Assert.Contains("__arglist", keywords);
        Assert.All(keywords, keyword => Assert.Equal("@" + keyword, Language.Emit.CSharpNames.Escape(keyword)));
    }

    [Theory]
    [MemberData(nameof(ContextualKeywords))]
    public void AnyContextualKeywordAsModelOrStateNameGeneratesCleanCodeOrIsALocatedDiagnostic(string name)
    {
        AssertCleanOrDiagnosed($"model {name} {{\n    state x;\n    dx/dt = -x;\n}}\n", name, line: 1);
        AssertCleanOrDiagnosed($"model M {{\n    state {name};\n    const c_{name} = 2;\n    d{name}/dt = -c_{name} * {name};\n}}\n", name, line: 2);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AnyModelNameGeneratesCleanCodeOrIsALocatedDiagnostic(string name) =>
        AssertCleanOrDiagnosed($"model {name} {{\n    state x;\n    dx/dt = -x;\n}}\n", name, line: 1);

    [Theory]
    [MemberData(nameof(Names))]
    public void AnyStateNameGeneratesCleanCodeOrIsALocatedDiagnostic(string name) =>
        AssertCleanOrDiagnosed($"model M {{\n    state {name};\n    param k = 2;\n    d{name}/dt = -k * {name};\n}}\n", name, line: 2);

    [Theory]
    [MemberData(nameof(Names))]
    public void AnyParamConstAndLetNameGeneratesCleanCodeOrIsALocatedDiagnostic(string name) =>
        AssertCleanOrDiagnosed($"model M {{\n    state x, y;\n    param {name} = 2;\n    const c_{name} = 3;\n    let l_{name} = {name} * x;\n    dx/dt = -{name} * x + c_{name};\n    dy/dt = l_{name};\n}}\n", name, line: 3);

    [Theory]
    [MemberData(nameof(Names))]
    public void AnyConstAndLayerNameGeneratesCleanCodeOrIsALocatedDiagnostic(string name) =>
        AssertCleanOrDiagnosed($"model M {{\n    state x[2];\n    const {name} = 3;\n    layer l_{name} = linear(2, 2);\n    dx/dt = l_{name}(x) * {name};\n}}\n", name, line: 3);

    [Theory]
    [MemberData(nameof(Names))]
    public void ModelStateAndNamespaceOfTheSameNameGenerateCleanCodeOrAreALocatedDiagnostic(string name) =>
        AssertCleanOrDiagnosed($"model {name} {{\n    state {name}_s, {name};\n    param k = 2;\n    d{name}_s/dt = -k * {name}_s;\n    d{name}/dt = -{name};\n}}\n", name, line: 1, ns: name);

    [Theory]
    [InlineData("Vjp", "has a member named 'Vjp'")]
    [InlineData("States", "has a member named 'States'")]
    [InlineData("var", "C# does not allow 'var'")]
    public void ModelNamesTheGeneratedClassCannotTakeAreODE0117(string name, string message)
    {
        var (_, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("m.ode", $"model {name} {{\n    state x;\n    dx/dt = -x;\n}}\n"), GoodFile);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("ODE0117", diagnostic.Id);
        Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(0, 6), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Contains(message, diagnostic.GetMessage());
        Assert.Equal(5, result.Results.Single().GeneratedSources.Length); // Lorenz's files only
    }

    [Fact]
    public void ReservedDoubleUnderscoreKeywordsAreEscaped()
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("m.ode", "model M {\n    state __arglist, __makeref;\n    d__arglist/dt = -__makeref;\n    d__makeref/dt = __arglist;\n}\n"));

        Assert.Empty(diagnostics);
        string generated = string.Join("\n", result.Results.Single().GeneratedSources.Select(source => source.SourceText.ToString()));
        Assert.Contains("var @__arglist = ", generated);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    [Fact]
    public void LowercaseModelNameCompilesWithoutCS8981()
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("m.ode", "model decay {\n    state x;\n    dx/dt = -x;\n}\n"));

        Assert.Empty(diagnostics);
        Assert.All(result.Results.Single().GeneratedSources, source => Assert.Contains("#pragma warning disable CS8981", source.SourceText.ToString()));
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output));
    }

    private static void AssertCleanOrDiagnosed(string text, string name, int line, string ns = "Names")
    {
        var (output, diagnostics, result) = GeneratorHarness.Run(GeneratorHarness.File("names.ode", $"namespace {ns};\n" + text), GoodFile);

        Assert.Null(result.Results.Single().Exception);
        Assert.Contains(result.Results.Single().GeneratedSources, source => source.HintName == "Examples.Physics.Lorenz.g.cs");
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            Diagnostic error = Assert.Single(errors);
            Assert.StartsWith("ODE", error.Id, StringComparison.Ordinal);
            Assert.Equal(line, error.Location.GetLineSpan().StartLinePosition.Line); // 0-based: the namespace line is first
            Assert.Contains($"'{name}'", error.GetMessage());
            return;
        }
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.CompileErrorsAndWarnings(output).Select(d => d.ToString()));
    }
}
