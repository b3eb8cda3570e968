using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Semantics;
using Xunit;

namespace OdeDsl.Language.Tests.Semantics;

/// <summary>One bad model per case: exactly one diagnostic, with its ID, line, column and message.</summary>
public sealed class MalformedModelTests
{
    /// <param name="ValidModels">Models in the file that are fine and still come back (the first of two 'M's).</param>
    private sealed record Case(string Source, string Id, int Line, int Column, string Message, int ValidModels = 0);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["MissingSemicolonBeforeNextStatement"] = new(
            "model M {\n    state x\n    param k = 1;\n    dx/dt = -k * x;\n}\n",
            "ODE0002", 2, 12, "Expected ';' after 'x' to end the state declaration."),
        ["MissingSemicolonBeforeBrace"] = new(
            "model M {\n    state x;\n    dx/dt = -x\n}\n",
            "ODE0002", 3, 15, "Expected ';' after 'x' to end the equation."),
        ["UnclosedParenthesis"] = new(
            "model M {\n    state x;\n    dx/dt = -(x * 2;\n}\n",
            "ODE0003", 3, 20, "Expected ')' to close the '(' at line 3, column 14, but found ';'."),
        ["StrayClosingParenthesis"] = new(
            "model M {\n    state x;\n    dx/dt = x * 2);\n}\n",
            "ODE0004", 3, 18, "Unexpected ')': there is no '(' for it to close. Remove it or add the missing '('."),
        ["MissingClosingBrace"] = new(
            "model M {\n    state x;\n    dx/dt = x;\n",
            "ODE0003", 4, 1, "Expected '}' to close the '{' at line 1, column 9, but found the end of the file."),
        ["UnknownNameWithSuggestion"] = new(
            "model M {\n    state x;\n    param sigma = 1;\n    dx/dt = -sigam * x;\n}\n",
            "ODE0101", 4, 14, "Unknown name 'sigam'. Did you mean 'sigma'?"),
        ["DuplicateDeclaration"] = new(
            "model M {\n    state x;\n    param x = 1;\n    dx/dt = -x;\n}\n",
            "ODE0102", 3, 11, "'x' is already declared as a state at line 2, column 11; each name may be declared once in a model. Rename one of them."),
        ["StateWithoutEquation"] = new(
            "model M {\n    state x, y;\n    dx/dt = -x;\n}\n",
            "ODE0103", 2, 14, "State 'y' has no equation: add 'dy/dt = …;'."),
        ["EquationForParam"] = new(
            "model M {\n    state x;\n    param k = 1;\n    dx/dt = -x;\n    dk/dt = x;\n}\n",
            "ODE0105", 5, 6, "'dk/dt' defines the derivative of 'k', which is a param, not a state. Only states have equations."),
        ["LetCycle"] = new(
            "model M {\n    state x;\n    let a = b + x;\n    let b = 2 * a;\n    dx/dt = a;\n}\n",
            "ODE0107", 3, 9, "'let a' depends on itself: a → b → a. A 'let' may only use names whose values do not depend on it; break the cycle."),
        ["WrongArity"] = new(
            "model M {\n    state x;\n    dx/dt = dot(x);\n}\n",
            "ODE0202", 3, 13, "'dot' takes 2 arguments but was given 1: write 'dot(a, b)'."),
        ["UnknownFunction"] = new(
            "model M {\n    state x;\n    dx/dt = sine(x);\n}\n",
            "ODE0109", 3, 13, "Unknown function 'sine'. Did you mean 'sin'?"),
        ["ReservedTimeAsState"] = new(
            "model M {\n    state t;\n    dt/dt = 1;\n}\n",
            "ODE0104", 2, 11, "'t' is a reserved word ('t' is the time, always in scope) and cannot be used as a name. Choose another name."),
        ["ReservedFunctionAsLet"] = new(
            "model M {\n    state x;\n    let exp = x;\n    dx/dt = exp;\n}\n",
            "ODE0104", 3, 9, "'exp' is a reserved word (a built-in function) and cannot be used as a name. Choose another name."),
        ["KeywordAsParam"] = new(
            "model M {\n    state x;\n    param model = 1;\n    dx/dt = x;\n}\n",
            "ODE0104", 3, 11, "'model' is a reserved word (a keyword of the language) and cannot be used as a name. Choose another name."),
        ["NumberOverflow"] = new(
            "model M {\n    state x;\n    dx/dt = 1e999 * x;\n}\n",
            "ODE0013", 3, 13, "The number '1e999' is too large: it does not fit a double (about ±1.8e308)."),
        ["MalformedNumber"] = new(
            "model M {\n    state x;\n    dx/dt = 2x;\n}\n",
            "ODE0007", 3, 13, "'2x' is not a valid number. Write numbers like 1, 2.5, .5, 3e7 or 1.0e-4, and separate them from names with an operator."),
        ["CommentsOnly"] = new(
            "// nothing here\nnamespace A.B;\n", "ODE0010", 1, 1, "The file declares no model: add 'model Name { … }' or 'flow Name { … }'."),
        ["TwoModelsWithTheSameName"] = new(
            "model M { state x; dx/dt = x; }\nmodel M { state y; dy/dt = y; }\n",
            "ODE0108", 2, 7, "A model named 'M' is already declared at line 1, column 7 of this file. Rename one of them.", ValidModels: 1),
        ["NonAsciiName"] = new(
            "model M {\n    state x;\n    param kσ = 1;\n    dx/dt = x;\n}\n",
            "ODE0006", 3, 12, "The name 'kσ' contains 'σ' (U+03C3): identifiers must be ASCII letters, digits and '_'."),
        ["InvalidCharacter"] = new(
            "model M {\n    state x;\n    dx/dt = x # 2;\n}\n",
            "ODE0005", 3, 15, "Unexpected character '#' (U+0023); it has no meaning in a .ode file. Remove it."),
        ["UnterminatedComment"] = new(
            "model M {\n    state x; /* oops\n    dx/dt = x;\n}\n",
            "ODE0008", 2, 14, "The block comment is never closed: add '*/' to end it."),
        ["NotADerivative"] = new(
            "model M {\n    state x;\n    foo/dt = x;\n}\n",
            "ODE0011", 3, 5, "'foo/dt' is not a derivative: an equation must look like 'dx/dt = …;' where x is a state."),
        ["TypoInKeyword"] = new(
            "modle M {\n    state x;\n    dx/dt = x;\n}\n",
            "ODE0001", 1, 1, "Unexpected name 'modle'; expected 'namespace', 'model', 'flow' or the end of the file."),
        ["MissingExpression"] = new(
            "model M {\n    state x;\n    dx/dt = ;\n}\n",
            "ODE0001", 3, 13, "Unexpected ';'; expected an expression."),
        ["MissingOperator"] = new(
            "model M {\n    state x;\n    let a = x x;\n    dx/dt = a;\n}\n",
            "ODE0001", 3, 15, "Unexpected name 'x'; expected an operator or ';'."),
        ["MatrixVectorShapeMismatch"] = new(
            "model M {\n    state y[2];\n    param W1[50, 3] ~ glorot;\n    let h = W1 @ y;\n    dy/dt = y;\n}\n",
            "ODE0201", 4, 13, "Shape mismatch in 'W1 @ y': 'W1' has shape (50, 3) (param declared at line 3) but 'y' has shape (2) (state declared at line 2); '@' multiplies (m, n) by (n) or (n, p), or (n) by (n, p): the inner dimensions must agree."),
        ["ElementwiseShapeMismatch"] = new(
            "model M {\n    state z[2];\n    param b[3] ~ zeros;\n    dz/dt = z + b;\n}\n",
            "ODE0201", 4, 13, "Shape mismatch in 'z + b': 'z' has shape (2) (state declared at line 2) but 'b' has shape (3) (param declared at line 3); '+' works elementwise, so both sides need the same shape, or one side must be a scalar."),
        ["EquationShapeMismatch"] = new(
            "model M {\n    state y[2];\n    dy/dt = [y; 1];\n}\n",
            "ODE0203", 3, 13, "The equation for state 'y' has shape (3), but the state has shape (2) (declared at line 2, column 11). The right-hand side must have the state's shape."),
        ["IndexOutOfRange"] = new(
            "model M {\n    state y[2];\n    dy/dt = [y[2]; y[0]];\n}\n",
            "ODE0204", 3, 16, "Index 2 is out of range for 'y' of shape (2); valid indices are 0 to 1 (or -2 to -1 from the end), and a slice needs start < end."),
        ["UnknownInitializer"] = new(
            "model M {\n    state x;\n    param W[2, 2] ~ glorrot;\n    dx/dt = x;\n}\n",
            "ODE0111", 3, 21, "Unknown initialiser 'glorrot'. Did you mean 'glorot'?"),
        ["LayerInputMismatch"] = new(
            "model M {\n    state z[2];\n    layer l1 = linear(3, 4);\n    let h = l1(z);\n    dz/dt = z;\n}\n",
            "ODE0210", 4, 16, "Layer 'l1' expects an input of shape (3) (declared 'linear(3, 4)' at line 3, column 5), but 'z' has shape (2)."),
        ["NotConstantInitialValue"] = new(
            "model M {\n    state x;\n    const c = 2;\n    param k = c * 2;\n    dx/dt = -k * x;\n}\n",
            "ODE0205", 4, 15, "The initial value of param 'k' must be a constant number made of numbers and arithmetic; 'c * 2' uses the const 'c', which can be overridden when the model is created (each const is a constructor argument), so it cannot fix a size or an initial value the generated code is compiled with. Write the number itself."),
        ["FlowWithTwoStates"] = new(
            "flow F {\n    state x, y;\n    dx/dt = -y;\n    dy/dt = x;\n}\n",
            "ODE0214", 2, 14, "Flow 'F' declares 2 states (x, y); a flow transforms one sample: declare exactly one vector state, such as 'state z[2];'."),
        ["FlowWithAScalarState"] = new(
            "flow F {\n    state x;\n    dx/dt = -x;\n}\n",
            "ODE0214", 2, 11, "Flow 'F' declares the scalar state 'x'; a flow transforms one sample: declare exactly one vector state, such as 'state z[2];'."),
        ["FlowWithAMatrixState"] = new(
            "flow F {\n    state A[2, 2];\n    dA/dt = -A;\n}\n",
            "ODE0214", 2, 11, "Flow 'F' declares the matrix state 'A' of shape (2, 2); a flow transforms one sample: declare exactly one vector state, such as 'state z[2];'."),
        ["NegativeStandardDeviation"] = new(
            "model M {\n    state y[2];\n    param W[2, 2] ~ normal(0.0, -0.1);\n    dy/dt = W @ y;\n}\n",
            "ODE0213", 3, 33, "Invalid arguments for 'normal(mean, std)': the standard deviation -0.1 is negative; use 0 or more."),
        ["ReversedUniformBounds"] = new(
            "model M {\n    state y[2];\n    param b[2] ~ uniform(1.0, 0.0);\n    dy/dt = y + b;\n}\n",
            "ODE0213", 3, 18, "Invalid arguments for 'uniform(low, high)': the low bound 1 is above the high bound 0; write the smaller bound first."),
        ["InitializerArgumentCount"] = new(
            "model M {\n    state y[2];\n    param W[2, 2] ~ normal(0.0);\n    dy/dt = W @ y;\n}\n",
            "ODE0202", 3, 21, "'normal' takes 2 arguments but was given 1: write 'normal(mean, std)'."),
        ["GlorotOnAVector"] = new(
            "model M {\n    state y[2];\n    param b[2] ~ glorot;\n    dy/dt = y + b;\n}\n",
            "ODE0209", 3, 18, "'glorot' expects a matrix param such as 'param W[m, n] ~ glorot;', but 'b' has shape (2)."),
        ["LayerOfSizeZero"] = new(
            "model M {\n    state y[5];\n    layer l = linear(0, 5);\n    dy/dt = y;\n}\n",
            "ODE0206", 3, 22, "The input size of a layer must be a positive whole number; '0' is 0."),
        ["NegativeDimension"] = new(
            "model M {\n    state y[-2];\n    dy/dt = y;\n}\n",
            "ODE0206", 2, 13, "A dimension of 'y' must be a positive whole number; '-2' is -2."),
        ["FractionalDimension"] = new(
            "model M {\n    state y[2];\n    param W[2.5, 2] ~ glorot;\n    dy/dt = y;\n}\n",
            "ODE0206", 3, 13, "A dimension of 'W' must be a positive whole number; '2.5' is 2.5."),
        ["SliceOutOfRange"] = new(
            "model M {\n    state y[4];\n    dy/dt = [y[1:5]; y[0]];\n}\n",
            "ODE0204", 3, 14, "Index 1:5 is out of range for 'y' of shape (4); valid indices are 0 to 3 (or -4 to -1 from the end), and a slice needs start < end."),
        ["MatrixProductWithAScalar"] = new(
            "model M {\n    state y[2];\n    param k = 2.0;\n    dy/dt = k @ y;\n}\n",
            "ODE0201", 4, 13, "Shape mismatch in 'k @ y': 'k' has shape () (param declared at line 3) but 'y' has shape (2) (state declared at line 2); '@' needs vectors or matrices on both sides (use '*' to scale by a scalar)."),
        ["EquationOfTheWrongShapeFromAMatrixProduct"] = new(
            "model M {\n    state y[2], x;\n    param W[3, 2] ~ glorot;\n    dy/dt = W @ y;\n    dx/dt = x;\n}\n",
            "ODE0203", 4, 13, "The equation for state 'y' has shape (3), but the state has shape (2) (declared at line 2, column 11). The right-hand side must have the state's shape."),
        ["DotOfDifferentLengths"] = new(
            "model M {\n    state y[2];\n    param w[3] ~ ones;\n    let d = dot(w, y);\n    dy/dt = y * d;\n}\n",
            "ODE0201", 4, 13, "Shape mismatch in 'dot(w, y)': 'w' has shape (3) (param declared at line 3) but 'y' has shape (2) (state declared at line 2); 'dot' needs two vectors of the same length."),
        ["ModelWithoutState"] = new(
            "model Empty {\n    param k = 1;\n}\n",
            "ODE0114", 1, 7, "Model 'Empty' declares no state: add at least one 'state x;' and its equation 'dx/dt = …;'."),
    };

    public static IEnumerable<object[]> CaseNames() => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReportsExactlyOneDiagnostic(string name)
    {
        Case expected = Cases[name];
        FrontEndResult result = OdeFrontEnd.Analyze("bad.ode", expected.Source);
        OdeDiagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(
            (expected.Id, expected.Line, expected.Column, expected.Message),
            (diagnostic.Id, diagnostic.Span.Line, diagnostic.Span.Column, diagnostic.Message));
        Assert.Equal(OdeSeverity.Error, diagnostic.Severity);
        Assert.Equal("bad.ode", diagnostic.FilePath);
        Assert.Equal(expected.ValidModels, result.Models.Count);
    }

    [Fact]
    public void CSharpKeywordsAreValidNames()
    {
        FrontEndResult result = OdeFrontEnd.Analyze("ok.ode", "model M {\n    state class, int;\n    param base = 1;\n    dclass/dt = int * base;\n    dint/dt = -class;\n}\n");
        Assert.Empty(result.Diagnostics);
        BoundModel model = Assert.Single(result.Models);
        Assert.Equal(new[] { "class", "int" }, model.States.Select(s => s.Name));
    }
}
