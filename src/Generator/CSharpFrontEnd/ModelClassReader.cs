using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OdeDsl.Generator.Models;
using OdeDsl.Language;
using OdeDsl.Language.Ast;
using OdeDsl.Language.Ir;

namespace OdeDsl.Generator.CSharpFrontEnd;

/// <summary>
/// The C# front end: one <c>[OdeModel]</c> class → the same <see cref="ModelDeclaration"/> the .ode parser produces, so
/// binding, shapes, IR, passes, differentiation and emission are shared. It reads the class's attributed fields and its
/// <c>void Dynamics(Tensor t)</c>; everything outside that subset is a diagnostic at the exact node. Never throws
/// (but for cancellation): a failure is an ODE9001 for the class.
/// </summary>
internal static class ModelClassReader
{
    public const string AttributeName = "OdeDsl.OdeModelAttribute";

    /// <summary>The pipeline's step: the class <c>ForAttributeWithMetadataName</c> found.</summary>
    public static ModelClassInput Read(GeneratorAttributeSyntaxContext source, CancellationToken cancellation) =>
        Read((ClassDeclarationSyntax)source.TargetNode, (INamedTypeSymbol)source.TargetSymbol, source.SemanticModel, cancellation);

    /// <summary>Reads one class declaration (its symbol from <paramref name="semanticModel"/>).</summary>
    public static ModelClassInput Read(ClassDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellation) =>
        Read(syntax, semanticModel.GetDeclaredSymbol(syntax, cancellation)!, semanticModel, cancellation);

    private static ModelClassInput Read(ClassDeclarationSyntax syntax, INamedTypeSymbol symbol, SemanticModel semanticModel, CancellationToken cancellation)
    {
        string filePath = syntax.SyntaxTree.FilePath;
        string ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : "";
        EquatableArray<IrContainingType> containingTypes = syntax.Ancestors().OfType<TypeDeclarationSyntax>().Reverse()
            .Select(outer => new IrContainingType(Keyword(outer), outer.Identifier.ValueText)).ToEquatableArray();
        var context = new ReaderContext(filePath, semanticModel, cancellation);
        try
        {
            IEnumerable<AttributeData> attributes = symbol.GetAttributes().Where(attribute => attribute.AttributeClass?.ToDisplayString() == AttributeName);
            ModelDeclaration? model = ReadClass(syntax, symbol, attributes, context);
            return new ModelClassInput(filePath, ns, containingTypes, model, context.Diagnostics.ToEquatableArray());
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            context.Report(DiagnosticCatalog.InternalError(filePath, "reading [OdeModel] class", symbol.Name, exception));
            return new ModelClassInput(filePath, ns, containingTypes, null, context.Diagnostics.ToEquatableArray());
        }
    }

    private static ModelDeclaration? ReadClass(ClassDeclarationSyntax syntax, INamedTypeSymbol symbol, IEnumerable<AttributeData> attributes, ReaderContext context)
    {
        string name = symbol.Name;
        SourceSpan nameSpan = SyntaxSpans.Of(syntax.Identifier);
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            context.Report(DiagnosticCatalog.ModelClassNotPartial(context.FilePath, nameSpan, name));
        if (ClassProblem(syntax, symbol) is { } problem)
            context.Report(DiagnosticCatalog.UnsupportedModelClass(context.FilePath, nameSpan, name, problem));

        var members = new List<MemberDeclaration>();
        var memberReader = new MemberReader(context);
        foreach (FieldDeclarationSyntax field in syntax.Members.OfType<FieldDeclarationSyntax>())
        {
            foreach (AttributeSyntax attribute in field.AttributeLists.SelectMany(list => list.Attributes))
            {
                if (memberReader.Kind(attribute) is { } kind && memberReader.Read(field, attribute, kind) is { } member)
                    members.Add(member);
            }
        }

        MethodDeclarationSyntax[] dynamics = syntax.Members.OfType<MethodDeclarationSyntax>()
            .Where(method => method.Identifier.ValueText == "Dynamics").ToArray();
        if (dynamics.Length == 0)
            context.Report(DiagnosticCatalog.InvalidDynamicsMethod(context.FilePath, nameSpan, name, "has no method 'Dynamics'"));
        else if (dynamics.Length > 1)
            context.Report(DiagnosticCatalog.InvalidDynamicsMethod(context.FilePath, SyntaxSpans.Of(dynamics[1].Identifier), name, "declares 'Dynamics' more than once"));
        else if (DynamicsProblem(dynamics[0], context) is { } dynamicsProblem)
            context.Report(DiagnosticCatalog.InvalidDynamicsMethod(context.FilePath, dynamicsProblem.Span, name, dynamicsProblem.Problem));
        else
        {
            context.TimeParameter = dynamics[0].ParameterList.Parameters[0].Identifier.ValueText;
            members.AddRange(new DynamicsReader(context).Read(dynamics[0].Body!));
        }

        if (context.Diagnostics.Count > 0)
            return null;
        bool flow = attributes.SelectMany(attribute => attribute.NamedArguments)
            .Any(argument => argument.Key == "Flow" && argument.Value.Value is true);
        return new ModelDeclaration(flow ? ModelKind.Flow : ModelKind.Model, new Identifier(name, nameSpan), members.ToEquatableArray(), SyntaxSpans.Of(syntax));
    }

    private static string Keyword(TypeDeclarationSyntax type) => type switch
    {
        RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
        _ => type.Keyword.ValueText,
    };

    private static string? ClassProblem(ClassDeclarationSyntax syntax, INamedTypeSymbol symbol)
    {
        if (symbol.IsGenericType)
            return "is generic; a model class has no type parameters (its shapes are fixed when it is compiled)";
        if (symbol.IsStatic)
            return "is static; a model is a module with parameters, so it needs instances";
        if (symbol.IsAbstract)
            return "is abstract; the generated part makes it a concrete module";
        for (SyntaxNode? parent = syntax.Parent; parent is TypeDeclarationSyntax outer; parent = outer.Parent)
        {
            if (!outer.Modifiers.Any(SyntaxKind.PartialKeyword))
                return $"is nested in '{outer.Identifier.ValueText}', which is not partial; declare '{outer.Identifier.ValueText}' partial too (the generated part is nested in it), or move the model into the namespace";
            if (outer.TypeParameterList is not null)
                return $"is nested in the generic type '{outer.Identifier.ValueText}'; move the model out of it";
        }
        if (symbol.BaseType is { SpecialType: not SpecialType.System_Object } baseType && baseType.ToDisplayString() != "OdeDsl.OdeModel"
            && syntax.BaseList is not null)
            return $"derives from '{baseType.ToDisplayString()}'; the generated part makes it derive from OdeDsl.OdeModel, so leave out the base class";
        return null;
    }

    private static (SourceSpan Span, string Problem)? DynamicsProblem(MethodDeclarationSyntax method, ReaderContext context)
    {
        SourceSpan at = SyntaxSpans.Of(method.Identifier);
        if (method.Modifiers.Any(SyntaxKind.AsyncKeyword))
            return (SyntaxSpans.Of(method.Modifiers.First(modifier => modifier.IsKind(SyntaxKind.AsyncKeyword))), "declares 'Dynamics' async; it is a plain computation");
        if (method.Modifiers.Any(SyntaxKind.StaticKeyword))
            return (at, "declares 'Dynamics' static; it reads the instance's states and parameters");
        if (method.TypeParameterList is not null)
            return (SyntaxSpans.Of(method.TypeParameterList), "declares 'Dynamics' generic");
        if (method.ReturnType is not PredefinedTypeSyntax { Keyword.ValueText: "void" })
            return (SyntaxSpans.Of(method.ReturnType), $"declares 'Dynamics' returning '{method.ReturnType}'; it returns nothing and assigns each derivative instead");
        if (method.ParameterList.Parameters.Count != 1
            || context.SemanticModel.GetTypeInfo(method.ParameterList.Parameters[0].Type!, context.Cancellation).Type?.ToDisplayString() != "TorchSharp.torch.Tensor"
            || method.ParameterList.Parameters[0].Modifiers.Count > 0)
            return (SyntaxSpans.Of(method.ParameterList), $"declares 'Dynamics{method.ParameterList}'; it takes one parameter, the time 't' as a Tensor");
        if (method.Body is null)
            return (at, "declares 'Dynamics' without a block body; write its statements in '{ … }'");
        return null;
    }
}
