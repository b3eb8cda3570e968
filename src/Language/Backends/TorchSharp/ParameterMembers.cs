using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// Parameters and layers: one field each, created in the constructor. A scalar with a given value uses the base
/// class's <c>RegisterScalarParameter</c>; a tensor is created in the constructor's dtype and device and filled by
/// <c>torch.nn.init</c>, which draws from TorchSharp's global generator, so <c>torch.manual_seed</c> before
/// construction reproduces the weights. A layer is a child module named after it (<c>RegisterLinearLayer</c>):
/// TorchSharp refuses '.' in module names but joins a child's names with '.', so <c>named_parameters()</c> lists
/// <c>l1.W</c> and <c>l1.b</c> as PyTorch would, and the layer draws W then b exactly as <c>torch.nn.Linear</c>.
/// </summary>
internal sealed class ParameterMembers
{
    private readonly IrModel model;
    private readonly ModelMembers members;
    private readonly string fileName;

    public ParameterMembers(IrModel model, ModelMembers members)
    {
        this.model = model;
        this.members = members;
        fileName = CommentText.FileName(model.SourcePath);
    }

    /// <summary>One field per plain parameter and per layer, in declaration order.</summary>
    public void WriteFields(SourceWriter writer)
    {
        // An [OdeModel] class declares them itself.
        if (model.DeclaredInCSharp)
            return;
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            IrParameter parameter = model.Parameters[i];
            if (parameter.Layer is string layerName)
            {
                if (IsFirstOfLayer(i))
                    WriteLayerField(writer, model.Layers.First(layer => layer.Name == layerName));
                continue;
            }
            writer.BlankLine();
            writer.Line($"/// <summary>The trainable parameter <c>{parameter.Name}</c>{ShapeDescription(parameter.Shape)}.</summary>");
            // TorchSharp's Module.to(...) replaces Parameter fields by reflection under their component name.
            writer.Line($"[{TorchSharpNames.ComponentName}(Name = {CSharpLiterals.IdentifierString(parameter.Name)})]");
            writer.Line($"private {TorchSharpNames.Parameter} {members.ParameterField(i)};");
        }
    }

    private void WriteLayerField(SourceWriter writer, IrLayer layer)
    {
        writer.BlankLine();
        writer.Line($"/// <summary>The layer <c>{layer.Name}</c> = linear({CSharpLiterals.Int(layer.InFeatures)}, {CSharpLiterals.Int(layer.OutFeatures)}): the parameters <c>{layer.Name}.W</c> [{CSharpLiterals.Int(layer.OutFeatures)}, {CSharpLiterals.Int(layer.InFeatures)}] and <c>{layer.Name}.b</c> [{CSharpLiterals.Int(layer.OutFeatures)}].</summary>");
        writer.Line($"[{TorchSharpNames.ComponentName}(Name = {CSharpLiterals.IdentifierString(layer.Name)})]");
        writer.Line($"private {TorchSharpNames.LinearLayer} {members.LayerField(layer.Name)};");
    }

    /// <summary>The constructor's creation of every parameter and layer, each under a comment quoting its declaration.</summary>
    public void WriteInitialisation(SourceWriter writer)
    {
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            IrParameter parameter = model.Parameters[i];
            if (parameter.Layer is string layerName)
            {
                if (!IsFirstOfLayer(i))
                    continue;
                IrLayer layer = model.Layers.First(l => l.Name == layerName);
                string sizes = CSharpLiterals.Int(layer.InFeatures) + ", " + CSharpLiterals.Int(layer.OutFeatures);
                writer.Line($"// layer {layer.Name} = linear({sizes})   ({fileName}, line {CSharpLiterals.Int(layer.Line)})");
                writer.Line($"this.{members.LayerField(layer.Name)} = this.RegisterLinearLayer({CSharpLiterals.IdentifierString(layer.Name)}, {sizes});");
                continue;
            }
            if (ScalarValue(parameter) is double value)
            {
                writer.Line($"// param {parameter.Name} = {CSharpLiterals.Double(value)}   ({fileName}, line {CSharpLiterals.Int(parameter.Line)})");
                writer.Line($"this.{members.ParameterField(i)} = this.RegisterScalarParameter({CSharpLiterals.IdentifierString(parameter.Name)}, {CSharpLiterals.Double(value)});");
                continue;
            }
            writer.Line($"// param {parameter.Name}{DeclaredDimensions(parameter.Shape)}{IrPrinter.Initializer(parameter.Initializer)}   ({fileName}, line {CSharpLiterals.Int(parameter.Line)})");
            writer.Line($"this.{members.ParameterField(i)} = this.RegisterParameter({CSharpLiterals.IdentifierString(parameter.Name)}, {InitialTensor(parameter)});");
        }
    }

    /// <summary>The tensor a parameter starts from, created in the constructor's dtype on its device.</summary>
    private static string InitialTensor(IrParameter parameter)
    {
        string shape = CSharpLiterals.LongArray(parameter.Shape.Dimensions) + ", dtype: this.ParameterDtype, device: this.ParameterDevice";
        string empty = $"{TorchSharpNames.Torch}.empty({shape})";
        EquatableArray<double> a = parameter.Initializer.Arguments;
        return parameter.Initializer.Kind switch
        {
            IrInitializerKind.Zeros => $"{TorchSharpNames.Torch}.zeros({shape})",
            IrInitializerKind.Ones => $"{TorchSharpNames.Torch}.ones({shape})",
            IrInitializerKind.Value or IrInitializerKind.Constant =>
                $"{TorchSharpNames.Torch}.full({CSharpLiterals.LongArray(parameter.Shape.Dimensions)}, {CSharpLiterals.Double(a[0])}, dtype: this.ParameterDtype, device: this.ParameterDevice)",
            IrInitializerKind.Glorot => $"{TorchSharpNames.Init}.xavier_uniform_({empty})",
            IrInitializerKind.Kaiming => $"{TorchSharpNames.Init}.kaiming_uniform_({empty})",
            IrInitializerKind.Normal => $"{TorchSharpNames.Init}.normal_({empty}, {CSharpLiterals.Double(a[0])}, {CSharpLiterals.Double(a[1])})",
            IrInitializerKind.Uniform => $"{TorchSharpNames.Init}.uniform_({empty}, {CSharpLiterals.Double(a[0])}, {CSharpLiterals.Double(a[1])})",
            _ => throw new System.InvalidOperationException($"The initialiser {parameter.Initializer.Kind} belongs to a layer."),
        };
    }

    /// <summary>A scalar parameter's fixed initial value, or null when it is a tensor or drawn at random.</summary>
    private static double? ScalarValue(IrParameter parameter) => !parameter.Shape.IsScalar ? null : parameter.Initializer.Kind switch
    {
        IrInitializerKind.Value or IrInitializerKind.Constant => parameter.Initializer.Arguments[0],
        IrInitializerKind.Zeros => 0.0,
        IrInitializerKind.Ones => 1.0,
        _ => null,
    };

    public static bool IsRandom(IrInitializer initializer) => initializer.Kind is IrInitializerKind.Glorot or IrInitializerKind.Kaiming
        or IrInitializerKind.Normal or IrInitializerKind.Uniform or IrInitializerKind.LinearWeight or IrInitializerKind.LinearBias;

    private bool IsFirstOfLayer(int index) => index == 0 || model.Parameters[index - 1].Layer != model.Parameters[index].Layer;

    private static string DeclaredDimensions(IrShape shape) =>
        shape.IsScalar ? "" : "[" + string.Join(", ", shape.Dimensions.Select(CSharpLiterals.Int)) + "]";

    private static string ShapeDescription(IrShape shape) => shape.IsScalar ? "" : " " + shape;
}
