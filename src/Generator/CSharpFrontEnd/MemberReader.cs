using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OdeDsl.Language;
using OdeDsl.Language.Ast;

namespace OdeDsl.Generator.CSharpFrontEnd;

/// <summary>
/// Attributed fields → the .ode declarations they stand for: <c>[State]</c> → <c>state</c>, <c>[Param]</c> →
/// <c>param</c>, <c>[Const]</c> → <c>const</c>, <c>[Layer]</c> → <c>layer … = linear(…)</c>. Attribute arguments must be
/// compile-time constants.
/// </summary>
internal sealed class MemberReader
{
    private const string TensorType = "TorchSharp.torch.Tensor";

    private readonly ReaderContext context;

    public MemberReader(ReaderContext context) => this.context = context;

    /// <summary>The member kind of an attribute: State, Param, Const or Layer; null for any other attribute.</summary>
    public string? Kind(AttributeSyntax attribute)
    {
        ISymbol? constructor = context.SemanticModel.GetSymbolInfo(attribute, context.Cancellation).Symbol;
        return constructor?.ContainingType?.ToDisplayString() switch
        {
            "OdeDsl.StateAttribute" => "State",
            "OdeDsl.ParamAttribute" => "Param",
            "OdeDsl.ConstAttribute" => "Const",
            "OdeDsl.LayerAttribute" => "Layer",
            _ => null,
        };
    }

    public MemberDeclaration? Read(FieldDeclarationSyntax field, AttributeSyntax attribute, string kind)
    {
        SourceSpan span = SyntaxSpans.Of(field);
        string names = string.Join(", ", field.Declaration.Variables.Select(variable => variable.Identifier.ValueText));
        if (field.Modifiers.Any(modifier => modifier.ValueText is "static" or "const"))
        {
            Invalid(field.Modifiers.First(modifier => modifier.ValueText is "static" or "const"), names,
                $"is marked [{kind}] but is {(field.Modifiers.Any(m => m.ValueText == "const") ? "a C# const" : "static")}: model members belong to each instance");
            return null;
        }
        if (!HasType(field, kind))
        {
            // Still a state: its derivative's assignment is then not a second error.
            if (kind == "State")
                context.States.UnionWith(field.Declaration.Variables.Select(variable => variable.Identifier.ValueText));
            return null;
        }
        if (kind != "State" && field.Declaration.Variables.Count != 1)
        {
            Invalid(field.Declaration, names, $"declares {field.Declaration.Variables.Count} fields under one [{kind}]: declare each on its own line");
            return null;
        }
        VariableDeclaratorSyntax first = field.Declaration.Variables[0];
        var name = new Identifier(first.Identifier.ValueText, SyntaxSpans.Of(first.Identifier));
        List<(AttributeArgumentSyntax Syntax, string? Name)> arguments = (attribute.ArgumentList?.Arguments ?? default)
            .Select(argument => (argument, argument.NameEquals?.Name.Identifier.ValueText)).ToList();
        var positional = arguments.Where(argument => argument.Name is null).Select(argument => argument.Syntax.Expression).ToList();

        switch (kind)
        {
            case "State":
                if (Dimensions(positional, name.Text) is not { } stateShape)
                    return null;
                var declarators = field.Declaration.Variables
                    .Select(variable => new StateDeclarator(new Identifier(variable.Identifier.ValueText, SyntaxSpans.Of(variable.Identifier)), stateShape, SyntaxSpans.Of(variable)))
                    .ToEquatableArray();
                foreach (StateDeclarator declarator in declarators)
                    context.States.Add(declarator.Name.Text);
                return new StateDeclaration(declarators, span);

            case "Const":
                if (first.Initializer is null || Constant(first.Initializer.Value, name.Text) is not { } value)
                {
                    if (first.Initializer is null)
                        Invalid(first, name.Text, "is a [Const] without a value: give it its default, '[Const] double mu = 1.0;'");
                    return null;
                }
                return new ConstDeclaration(name, value, span);

            case "Layer":
                if (Dimensions(positional, name.Text) is not { Count: 2 } features)
                    return null;
                context.Layers.Add(name.Text);
                return new LayerDeclaration(name, new Identifier("linear", SyntaxSpans.Of(attribute.Name)), features, span);

            default:
                return Param(name, positional, arguments, attribute, span);
        }
    }

    private MemberDeclaration? Param(Identifier name, List<ExpressionSyntax> positional,
        List<(AttributeArgumentSyntax Syntax, string? Name)> arguments, AttributeSyntax attribute, SourceSpan span)
    {
        if (positional.Count == 0)
        {
            Invalid(attribute, name.Text, "needs its initial value, '[Param(0.5)]', or an initialiser and shape, '[Param(Init.Glorot, 50, 2)]'");
            return null;
        }
        ExpressionSyntax head = positional[0];
        if (context.SemanticModel.GetSymbolInfo(head, context.Cancellation).Symbol is not IFieldSymbol { ContainingType: var type } init
            || type.ToDisplayString() != "OdeDsl.Init")
        {
            Expression? initial = Constant(head, name.Text);
            return initial is null ? null : new ParamDeclaration(name, EquatableArray<Expression>.Empty, initial, null, span);
        }

        if (Dimensions(positional.Skip(1).ToList(), name.Text) is not { } shape)
            return null;
        string initializer = init.Name.ToLowerInvariant();
        string[] argumentNames = initializer switch
        {
            "normal" => new[] { "Mean", "Std" },
            "uniform" => new[] { "Low", "High" },
            "constant" => new[] { "Value" },
            _ => System.Array.Empty<string>(),
        };
        // The attribute's defaults (torch's: normal(0, 1), uniform(0, 1), constant 0) unless the class sets them.
        var defaults = new Dictionary<string, double> { ["Mean"] = 0.0, ["Std"] = 1.0, ["Low"] = 0.0, ["High"] = 1.0, ["Value"] = 0.0 };
        var values = new List<Expression>();
        foreach (string argumentName in argumentNames)
        {
            var given = arguments.FirstOrDefault(argument => argument.Name == argumentName);
            if (given.Syntax is null)
                values.Add(new NumberLiteral(defaults[argumentName].ToString("R", CultureInfo.InvariantCulture), defaults[argumentName], SyntaxSpans.Of(attribute)));
            else if (Constant(given.Syntax.Expression, name.Text) is { } value)
                values.Add(value);
            else
                return null;
        }
        foreach (var extra in arguments.Where(argument => argument.Name is not null && !argumentNames.Contains(argument.Name)))
            Invalid(extra.Syntax, name.Text, $"sets '{extra.Name}', which Init.{init.Name} does not use");
        var initializerSyntax = new InitializerSyntax(new Identifier(initializer, SyntaxSpans.Of(head)), values.ToEquatableArray(), SyntaxSpans.Of(attribute));
        return new ParamDeclaration(name, shape, null, initializerSyntax, span);
    }

    private EquatableArray<Expression>? Dimensions(List<ExpressionSyntax> arguments, string member)
    {
        var dimensions = new List<Expression>();
        foreach (ExpressionSyntax argument in arguments)
        {
            if (Constant(argument, member) is not { } dimension)
                return null;
            dimensions.Add(dimension);
        }
        return dimensions.ToEquatableArray();
    }

    /// <summary>A compile-time constant number: a literal, arithmetic on literals, or a C# <c>const</c>.</summary>
    private Expression? Constant(ExpressionSyntax syntax, string member)
    {
        Optional<object?> value = context.SemanticModel.GetConstantValue(syntax, context.Cancellation);
        if (value.HasValue && value.Value is double or float or int or long or short or byte or decimal)
        {
            double number = System.Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
            return new NumberLiteral(syntax.ToString(), number, SyntaxSpans.Of(syntax));
        }
        Invalid(syntax, member, $"takes '{syntax}', which is not a constant number: attribute arguments and [Const] defaults must be numbers known at compile time");
        return null;
    }

    private bool HasType(FieldDeclarationSyntax field, string kind)
    {
        ITypeSymbol? type = context.SemanticModel.GetTypeInfo(field.Declaration.Type, context.Cancellation).Type;
        bool matches = kind switch
        {
            "Const" => type?.SpecialType == SpecialType.System_Double,
            "Layer" => IsOrDerivesFrom(type, "OdeDsl.LinearLayer"),
            _ => IsOrDerivesFrom(type, TensorType),
        };
        if (!matches)
        {
            string names = string.Join(", ", field.Declaration.Variables.Select(variable => variable.Identifier.ValueText));
            Invalid(field.Declaration.Type, names, $"is marked [{kind}] but has type '{field.Declaration.Type}': a [{kind}] field is a '{(kind == "Const" ? "double" : kind == "Layer" ? "LinearLayer" : "Tensor")}'");
        }
        return matches;
    }

    private static bool IsOrDerivesFrom(ITypeSymbol? type, string name)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString() == name)
                return true;
        }
        return false;
    }

    private void Invalid(SyntaxNode node, string member, string problem) =>
        context.Report(DiagnosticCatalog.InvalidModelMember(context.FilePath, SyntaxSpans.Of(node), member, problem));

    private void Invalid(SyntaxToken token, string member, string problem) =>
        context.Report(DiagnosticCatalog.InvalidModelMember(context.FilePath, SyntaxSpans.Of(token), member, problem));
}
