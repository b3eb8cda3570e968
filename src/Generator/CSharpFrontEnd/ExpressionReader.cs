using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OdeDsl.Language;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Semantics;

namespace OdeDsl.Generator.CSharpFrontEnd;

/// <summary>
/// C# expressions → the .ode AST's <see cref="Expression"/>s: numbers, names (<c>this.x</c> too), <c>+ - * /</c>,
/// unary minus, parentheses, the <c>OdeDsl.Dsl</c> functions and TorchSharp's spellings of them (<c>torch.tanh(x)</c>, <c>x.pow(2)</c>), (<c>pow</c> → <c>^</c>, <c>matmul</c> → <c>@</c>,
/// <c>cat</c> → <c>[a; b]</c>, <c>slice</c> → <c>v[a:b]</c>), <c>v[i]</c> and layer applications. Anything else is
/// a diagnostic at its node, and the result is null.
/// </summary>
internal sealed class ExpressionReader
{
    private const string DslType = "OdeDsl.Dsl";

    /// <summary>The Dsl functions: the language's built-ins under their own names, and the spellings of its operators.</summary>
    private static readonly string[] DslNames = Builtins.FunctionNames.Concat(new[] { "pow", "matmul", "cat", "slice" })
        .Distinct().OrderBy(name => name, System.StringComparer.Ordinal).ToArray();

    private readonly ReaderContext context;

    public ExpressionReader(ReaderContext context) => this.context = context;

    public Expression? Read(ExpressionSyntax syntax)
    {
        context.Cancellation.ThrowIfCancellationRequested();
        SourceSpan span = SyntaxSpans.Of(syntax);
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Read(parenthesized.Expression);
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression):
                return Number(literal.Token, span);
            case IdentifierNameSyntax identifier:
                return Name(identifier.Identifier.ValueText, span);
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member:
                return Name(member.Name.Identifier.ValueText, span);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return Read(unary.Operand) is { } negated ? new NegateExpression(negated, span) : null;
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return Read(unary.Operand);
            case BinaryExpressionSyntax binary when Operator(binary) is { } op:
                return Binary(op, binary.Left, binary.Right, span);
            case InvocationExpressionSyntax invocation:
                return Invocation(invocation, span);
            case ElementAccessExpressionSyntax access:
                return ElementAccess(access, span);
            default:
                Unsupported(syntax);
                return null;
        }
    }

    private Expression Number(SyntaxToken token, SourceSpan span)
    {
        double value = System.Convert.ToDouble(token.Value, CultureInfo.InvariantCulture);
        // The .ode text of a number: the literal without C#'s suffixes and digit separators.
        string text = token.Text.Replace("_", "").TrimEnd('d', 'D', 'f', 'F', 'm', 'M', 'l', 'L', 'u', 'U');
        return new NumberLiteral(text, value, span);
    }

    private Expression Name(string name, SourceSpan span) =>
        new NameReference(name == context.TimeParameter ? "t" : name, span);

    private static BinaryOperator? Operator(BinaryExpressionSyntax binary) => binary.Kind() switch
    {
        SyntaxKind.AddExpression => BinaryOperator.Add,
        SyntaxKind.SubtractExpression => BinaryOperator.Subtract,
        SyntaxKind.MultiplyExpression => BinaryOperator.Multiply,
        SyntaxKind.DivideExpression => BinaryOperator.Divide,
        _ => null,
    };

    private Expression? Binary(BinaryOperator op, ExpressionSyntax left, ExpressionSyntax right, SourceSpan span)
    {
        Expression? l = Read(left);
        Expression? r = Read(right);
        return l is null || r is null ? null : new BinaryExpression(op, l, r, span);
    }

    private Expression? ElementAccess(ElementAccessExpressionSyntax access, SourceSpan span)
    {
        if (access.ArgumentList.Arguments.Count != 1 || access.ArgumentList.Arguments[0].Expression is RangeExpressionSyntax)
        {
            context.Report(DiagnosticCatalog.UnsupportedConstruct(context.FilePath, span, $"The index '{access}'",
                "index a vector with one whole number, 'v[i]', and take a part of it with 'slice(v, start, end)'"));
            return null;
        }
        Expression? target = Read(access.Expression);
        Expression? index = Read(access.ArgumentList.Arguments[0].Expression);
        return target is null || index is null ? null : new IndexExpression(target, index, span);
    }

    private Expression? Invocation(InvocationExpressionSyntax invocation, SourceSpan span)
    {
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(argument => argument.NameColon is not null || !argument.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            Unsupported(invocation, "pass arguments by position");
            return null;
        }

        // l.forward(v): a layer applied to a vector.
        if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "forward" or "call" } layerCall
            && LayerName(layerCall.Expression) is { } layer)
        {
            return ReadAll(arguments.Select(argument => argument.Expression).ToList()) is { } input
                ? new CallExpression(new NameReference(layer, SyntaxSpans.Of(layerCall.Expression)), input.ToEquatableArray(), span)
                : null;
        }

        (string Name, List<ExpressionSyntax> Arguments)? function = DslCall(invocation) ?? TorchCall(invocation);
        if (function is not { } call)
        {
            string callee = invocation.Expression.ToString();
            string simple = callee.Split('.').Last();
            context.Report(DiagnosticCatalog.UnknownMethod(context.FilePath, SyntaxSpans.Of(invocation.Expression), callee,
                DslNames.FirstOrDefault(known => string.Equals(known, simple, System.StringComparison.OrdinalIgnoreCase) && known != simple)
                    ?? (DslNames.Contains(simple) ? "OdeDsl.Dsl." + simple : null), DslNames));
            return null;
        }

        if (ReadAll(call.Arguments) is not { } parts)
            return null;
        switch (call.Name)
        {
            case "pow" when parts.Count == 2:
                return new BinaryExpression(BinaryOperator.Power, parts[0], parts[1], span);
            case "matmul" when parts.Count == 2:
                return new BinaryExpression(BinaryOperator.MatrixMultiply, parts[0], parts[1], span);
            case "add" when parts.Count == 2:
                return new BinaryExpression(BinaryOperator.Add, parts[0], parts[1], span);
            case "sub" when parts.Count == 2:
                return new BinaryExpression(BinaryOperator.Subtract, parts[0], parts[1], span);
            case "mul" when parts.Count == 2:
                return new BinaryExpression(BinaryOperator.Multiply, parts[0], parts[1], span);
            case "div" when parts.Count == 2:
                return new BinaryExpression(BinaryOperator.Divide, parts[0], parts[1], span);
            case "neg" when parts.Count == 1:
                return new NegateExpression(parts[0], span);
            case "cat":
                return new ConcatenationExpression(parts.ToEquatableArray(), span);
            case "slice" when parts.Count == 3:
                return new SliceExpression(parts[0], parts[1], parts[2], span);
            case "pow" or "matmul" or "slice":
                Unsupported(invocation, $"'{call.Name}' takes {(call.Name == "slice" ? "three arguments: slice(v, start, end)" : "two arguments")}");
                return null;
            default:
                // A built-in: the binder checks its argument count and shapes, as for .ode.
                return new CallExpression(new NameReference(call.Name, SyntaxSpans.Of(invocation.Expression)), parts.ToEquatableArray(), span);
        }
    }

    /// <summary>
    /// TorchSharp's spellings of the built-ins, as <c>torch.tanh(x)</c> or <c>x.tanh()</c>, with the language's name and
    /// arity (the receiver of an instance call is the first argument). Per sample they mean what the built-ins mean.
    /// </summary>
    private static readonly Dictionary<string, (string Name, int Arity)> TorchFunctions = new()
    {
        ["exp"] = ("exp", 1), ["log"] = ("log", 1), ["sqrt"] = ("sqrt", 1), ["abs"] = ("abs", 1), ["sin"] = ("sin", 1),
        ["cos"] = ("cos", 1), ["tan"] = ("tan", 1), ["tanh"] = ("tanh", 1), ["sigmoid"] = ("sigmoid", 1), ["relu"] = ("relu", 1),
        ["sum"] = ("sum", 1), ["mean"] = ("mean", 1), ["dot"] = ("dot", 2), ["minimum"] = ("min", 2), ["maximum"] = ("max", 2),
        ["pow"] = ("pow", 2), ["matmul"] = ("matmul", 2), ["add"] = ("add", 2), ["sub"] = ("sub", 2), ["mul"] = ("mul", 2),
        ["div"] = ("div", 2), ["neg"] = ("neg", 1),
        ["sinh"] = ("sinh", 1), ["cosh"] = ("cosh", 1), ["asinh"] = ("asinh", 1), ["arcsinh"] = ("asinh", 1),
        ["atanh"] = ("atanh", 1), ["arctanh"] = ("atanh", 1), ["atan"] = ("atan", 1), ["arctan"] = ("atan", 1),
        ["exp2"] = ("exp2", 1), ["log1p"] = ("log1p", 1), ["expm1"] = ("expm1", 1), ["erf"] = ("erf", 1),
        ["gelu"] = ("gelu", 1), ["silu"] = ("silu", 1), ["sign"] = ("sign", 1), ["square"] = ("square", 1),
        ["clamp"] = ("clamp", 3),
    };

    private (string Name, List<ExpressionSyntax> Arguments)? DslCall(InvocationExpressionSyntax invocation) =>
        DslFunctionName(invocation) is { } name
            ? (name, invocation.ArgumentList.Arguments.Select(argument => argument.Expression).ToList())
            : null;

    /// <summary><c>torch.tanh(x)</c> (a static of <c>TorchSharp.torch</c>) or <c>x.tanh()</c> (a method of <c>Tensor</c>).</summary>
    private (string Name, List<ExpressionSyntax> Arguments)? TorchCall(InvocationExpressionSyntax invocation)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax member
            || !TorchFunctions.TryGetValue(member.Name.Identifier.ValueText, out var function))
            return null;
        SymbolInfo info = context.SemanticModel.GetSymbolInfo(invocation, context.Cancellation);
        if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is not IMethodSymbol method)
            return null;
        var arguments = invocation.ArgumentList.Arguments.Select(argument => argument.Expression).ToList();
        string? type = method.ContainingType?.ToDisplayString();
        if (method.IsStatic && type == "TorchSharp.torch")
            return arguments.Count == function.Arity ? (function.Name, arguments) : null;
        if (!method.IsStatic && type == "TorchSharp.torch.Tensor")
            return arguments.Count + 1 == function.Arity ? (function.Name, arguments.Prepend(member.Expression).ToList()) : null;
        return null;
    }

    /// <summary>Every argument read (each reports its own diagnostics); null when any of them failed.</summary>
    private List<Expression>? ReadAll(IReadOnlyList<ExpressionSyntax> arguments)
    {
        var parts = new List<Expression>();
        foreach (ExpressionSyntax argument in arguments)
        {
            if (Read(argument) is { } part)
                parts.Add(part);
        }
        return parts.Count == arguments.Count ? parts : null;
    }

    private string? LayerName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier when context.Layers.Contains(identifier.Identifier.ValueText) => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member when context.Layers.Contains(member.Name.Identifier.ValueText)
            => member.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>
    /// The Dsl function an invocation calls: <c>tanh(x)</c> under <c>using static OdeDsl.Dsl</c> or <c>Dsl.tanh(x)</c>.
    /// The semantic model decides when it can bind the call; while the generated fields are missing (a derivative used
    /// as a value) it may not, and the name decides.
    /// </summary>
    private string? DslFunctionName(InvocationExpressionSyntax invocation)
    {
        string? simple = invocation.Expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        };
        if (simple is null || !DslNames.Contains(simple))
            return null;

        SymbolInfo info = context.SemanticModel.GetSymbolInfo(invocation, context.Cancellation);
        ISymbol? symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        if (symbol is IMethodSymbol method)
            return method.ContainingType?.ToDisplayString() == DslType ? simple : null;
        // Unbound: accept the Dsl name only when written as itself or as Dsl.name.
        return invocation.Expression switch
        {
            IdentifierNameSyntax => simple,
            MemberAccessExpressionSyntax { Expression: var qualifier } when qualifier.ToString() is "Dsl" or "OdeDsl.Dsl" => simple,
            _ => null,
        };
    }

    private void Unsupported(ExpressionSyntax syntax, string? hint = null)
    {
        string construct = syntax switch
        {
            LambdaExpressionSyntax => "A lambda",
            ConditionalExpressionSyntax => "A conditional expression ('?:')",
            AwaitExpressionSyntax => "'await'",
            AssignmentExpressionSyntax => "An assignment inside an expression",
            BinaryExpressionSyntax binary => $"The operator '{binary.OperatorToken.Text}'",
            PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax => $"The operator in '{syntax}'",
            LiteralExpressionSyntax => $"The literal '{syntax}'",
            CastExpressionSyntax => "A cast",
            ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax => "Creating an object",
            MemberAccessExpressionSyntax => $"The member access '{syntax}'",
            InvocationExpressionSyntax => $"The call '{syntax}'",
            _ => $"The expression '{syntax}'",
        };
        context.Report(DiagnosticCatalog.UnsupportedConstruct(context.FilePath, SyntaxSpans.Of(syntax), construct, hint ?? syntax switch
        {
            BinaryExpressionSyntax => "use + - * / and pow(a, b) for powers",
            LiteralExpressionSyntax => "use numbers",
            MemberAccessExpressionSyntax => "use the model's states, parameters, constants and locals by name",
            _ => "write arithmetic on the model's members, the functions of OdeDsl.Dsl and its layers",
        }));
    }
}
