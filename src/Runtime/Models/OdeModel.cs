using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// The base of every model compiled from a <c>.ode</c> file or an <c>[OdeModel]</c> class: a TorchSharp module
/// computing <c>dy/dt = f(t, y)</c> for a batch <c>y</c> of shape <c>[B, D]</c>, with metadata describing how the
/// named states are packed into the <c>D</c> columns.
/// </summary>
public abstract class OdeModel : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module under the model's name.</summary>
    protected OdeModel(string name) : base(name)
    {
    }

    /// <summary>The states in declaration order, with their column offsets in the packed state.</summary>
    public abstract IReadOnlyList<StateInfo> States { get; }

    /// <summary>The trainable parameters by their <c>.ode</c> names, with their shapes.</summary>
    public abstract IReadOnlyList<ParameterInfo> ParameterInfos { get; }

    /// <summary>
    /// Creates a scalar (0-dim) parameter in the default dtype (float32 unless changed; call <c>.to(float64)</c> on
    /// the model for double precision), registers it under its <c>.ode</c> name and returns it. Generated
    /// constructors call this for every scalar <c>param</c>.
    /// </summary>
    protected TorchSharp.Modules.Parameter RegisterScalarParameter(string name, double initialValue)
    {
        var parameter = new TorchSharp.Modules.Parameter(torch.tensor(initialValue, dtype: torch.get_default_dtype()));
        // A model built inside a caller's DisposeScope must not lose its parameters when that scope ends.
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
        return parameter;
    }

    /// <summary>D: the number of columns of the packed state.</summary>
    public int StateSize => States.Sum(s => s.Size);

    /// <summary>A human-readable layout such as <c>x, y, z</c> or <c>h[16], v</c>, for error messages.</summary>
    public string StateLayout => string.Join(", ", States.Select(s => s.Shape.Length == 0 ? s.Name : $"{s.Name}[{string.Join(", ", s.Shape)}]"));
}

/// <summary>One state of a model: its name, per-sample shape (empty for a scalar) and column range.</summary>
public sealed record StateInfo(string Name, int[] Shape, int Offset)
{
    /// <summary>The number of columns the state occupies in the packed <c>[B, D]</c> state.</summary>
    public int Size => Shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>One trainable parameter: its <c>.ode</c> name and shape (empty for a scalar).</summary>
public sealed record ParameterInfo(string Name, int[] Shape);
