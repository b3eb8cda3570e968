using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OdeDsl.Generator.CSharpFrontEnd;
using OdeDsl.Generator.Models;
using OdeDsl.Language;

namespace OdeDsl.Generator.Tests.CSharpFrontEnd;

/// <summary>Reads the [OdeModel] class of a C# text with the C# front end, and compiles what it read.</summary>
internal static class ModelClassReaderHarness
{
    public const string FilePath = "/models/Model.cs";

    public static ModelClassInput Read(string source)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), FilePath);
        Compilation compilation = GeneratorHarness.EmptyCompilation().AddSyntaxTrees(tree);
        ClassDeclarationSyntax model = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .First(type => type.AttributeLists.SelectMany(list => list.Attributes).Any(attribute => attribute.Name.ToString() == "OdeModel"));
        return ModelClassReader.Read(model, compilation.GetSemanticModel(tree), CancellationToken.None);
    }

    /// <summary>The front end's diagnostics if it has any, else the shared compiler's.</summary>
    public static OdeCompilation Compile(string source)
    {
        ModelClassInput input = Read(source);
        if (input.Model is null)
            return new OdeCompilation(EquatableArray<Language.Ir.IrModel>.Empty, input.Diagnostics);
        return OdeCompiler.Compile(input.FilePath, input.Model, input.Namespace, input.ContainingTypes);
    }
}
