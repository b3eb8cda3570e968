using System.Collections.Generic;
using System.Linq;
using OdeDsl.Language.Ir;

namespace OdeDsl.Language.Emit;

/// <summary>
/// The class-level names of one generated model: its name scope, the field of each parameter and layer, and the
/// spelling of each .ode name used as a local. Made once per model, before any method is written.
/// </summary>
/// <remarks>
/// .ode names (states, lets) become locals of the generated methods and are claimed first, so they keep their
/// spelling; everything the emitter invents (fields, method parameters, temporaries) takes whatever name is left.
/// </remarks>
internal sealed class ModelMembers
{
    // Members of nn.Module that a field named "_" + .ode name could hide (CS0108): claimed up front.
    private static readonly string[] BaseMemberNames =
    {
        "_deviceIndex", "_deviceType", "_internal_buffers", "_internal_params", "_internal_submodules",
        "_named_buffers", "_named_parameters", "_parameters", "_to", "_toEpilog",
    };

    private readonly IrModel model;
    private readonly Dictionary<string, string> odeLocals = new(System.StringComparer.Ordinal);
    private readonly string?[] parameterFields;
    private readonly Dictionary<string, string> layerFields = new(System.StringComparer.Ordinal);

    public ModelMembers(IrModel model)
    {
        this.model = model;
        IEnumerable<string> odeNames = model.States.Select(state => state.Name)
            .Concat(model.Forward.Statements.Where(statement => statement.Role == IrRole.Let).Select(statement => model.NameOf(statement.Of)));
        Names = new NameScope(BaseMemberNames.Concat(new[] { model.Name }).Concat(ClassHostMembers.ReservedNames(model)));
        foreach (string name in odeNames.Distinct())
            odeLocals[name] = Names.Claim(name);
        // An [OdeModel] class declares its parameters and layers itself, under their own names: TorchSharp's Module.to
        // replaces a module's fields by name, so a second field of the same name would clash.
        parameterFields = model.Parameters.Select(parameter => parameter.Layer is null ? Field(parameter.Name) : null).ToArray();
        foreach (IrLayer layer in model.Layers)
            layerFields[layer.Name] = Field(layer.Name);
    }

    private string Field(string odeName) => model.DeclaredInCSharp ? CSharpNames.Escape(odeName) : Names.Claim("_" + odeName);

    /// <summary>The class's name scope: fields claim from it, each method's scope nests in it.</summary>
    public NameScope Names { get; }

    /// <summary>The local spelling of a state's or let's name.</summary>
    public string Local(string odeName) => odeLocals[odeName];

    /// <summary>Whether an .ode name is spelt <paramref name="name"/> (a method parameter must then take another name).</summary>
    public bool IsOdeName(string name) => odeLocals.ContainsKey(name);

    /// <summary>The field of a parameter that is not a layer's.</summary>
    public string? ParameterField(int index) => parameterFields[index];

    public string LayerField(string layer) => layerFields[layer];

    /// <summary>The C# expression reading a parameter inside a method.</summary>
    public string ParameterCode(int index)
    {
        IrParameter parameter = model.Parameters[index];
        if (parameter.Layer is null)
            return "this." + parameterFields[index];
        string property = parameter.LocalName == "W" ? "Weight" : "Bias";
        return $"this.{layerFields[parameter.Layer]}.{property}";
    }
}
