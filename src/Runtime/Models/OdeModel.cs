using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl;

/// <summary>
/// The base of every model compiled from a <c>.ode</c> file or an <c>[OdeModel]</c> class: a TorchSharp module
/// computing <c>dy/dt = f(t, y)</c> for a batch <c>y</c> of shape <c>[B, D]</c>, with metadata describing how the
/// named states are packed into the <c>D</c> columns. What else a model can compute (its analytic vector–Jacobian
/// products, <see cref="IHasVjp"/>) it declares by implementing an interface.
/// </summary>
public abstract class OdeModel : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module under the model's name, its parameters in the default dtype on the CPU.</summary>
    protected OdeModel(string name) : this(name, null, null)
    {
    }

    /// <summary>
    /// Creates the module under the model's name, its parameters created directly in <paramref name="dtype"/> on
    /// <paramref name="device"/> (null: TorchSharp's default dtype, the CPU): a value such as 8/3 is then exact in
    /// float64 instead of rounded through float32 by a later <c>.to(float64)</c>.
    /// </summary>
    protected OdeModel(string name, ScalarType? dtype, Device? device) : base(name)
    {
        ParameterDtype = dtype ?? torch.get_default_dtype();
        ParameterDevice = device ?? torch.CPU;
    }

    /// <summary>The dtype the constructor creates parameters in.</summary>
    protected ScalarType ParameterDtype { get; }

    /// <summary>The device the constructor creates parameters on.</summary>
    protected Device ParameterDevice { get; }

    /// <summary>The states in declaration order, with their column offsets in the packed state.</summary>
    public abstract IReadOnlyList<StateInfo> States { get; }

    /// <summary>The trainable parameters by their <c>.ode</c> names, with their shapes.</summary>
    public abstract IReadOnlyList<ParameterInfo> ParameterInfos { get; }

    /// <summary>
    /// Creates a scalar (0-dim) parameter in <see cref="ParameterDtype"/> on <see cref="ParameterDevice"/>, registers
    /// it under its <c>.ode</c> name and returns it. Generated constructors call this for every scalar <c>param</c>.
    /// </summary>
    protected TorchSharp.Modules.Parameter RegisterScalarParameter(string name, double initialValue)
    {
        var parameter = new TorchSharp.Modules.Parameter(torch.tensor(initialValue, dtype: ParameterDtype, device: ParameterDevice));
        // A model built inside a caller's DisposeScope must not lose its parameters when that scope ends.
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
        return parameter;
    }

    /// <summary>
    /// Registers a tensor parameter under its <c>.ode</c> name and returns it. Generated constructors create
    /// <paramref name="initialValue"/> in <see cref="ParameterDtype"/> on <see cref="ParameterDevice"/> and fill it with
    /// <c>torch.nn.init</c>, which draws from TorchSharp's global generator: <c>torch.manual_seed(s)</c> before
    /// construction makes the weights reproducible (for a given dtype).
    /// </summary>
    protected TorchSharp.Modules.Parameter RegisterParameter(string name, Tensor initialValue)
    {
        var parameter = new TorchSharp.Modules.Parameter(initialValue);
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
        return parameter;
    }

    /// <summary>
    /// Creates <c>layer name = linear(inFeatures, outFeatures)</c> and registers it as a child module called
    /// <paramref name="name"/>, so <c>named_parameters()</c> lists <c>name.W</c> and <c>name.b</c> as PyTorch would.
    /// </summary>
    protected LinearLayer RegisterLinearLayer(string name, int inFeatures, int outFeatures)
    {
        var layer = new LinearLayer(name, inFeatures, outFeatures, ParameterDtype, ParameterDevice);
        register_module(name, layer);
        return layer;
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

/// <summary>
/// The parameters of a <c>layer l = linear(in, out)</c>: <c>W</c> <c>[out, in]</c> and <c>b</c> <c>[out]</c>,
/// initialised exactly as <c>torch.nn.Linear</c> (W ~ kaiming_uniform(a = √5), i.e. U(±1/√in); b ~ U(±1/√in)),
/// drawing W first and then b from the global generator. The model's generated forward applies it; an
/// <c>[OdeModel]</c> class's reference <c>Dynamics</c> calls <see cref="forward"/>.
/// </summary>
public sealed class LinearLayer : nn.Module<Tensor, Tensor>
{
    // Registered under "W" and "b"; Module.to(...) replaces the fields through their component names. The public
    // properties must not be called W or b: TorchSharp would then set the property and keep the old registration.
    [TorchSharp.Utils.ComponentName(Name = "W")]
    private TorchSharp.Modules.Parameter weight;

    [TorchSharp.Utils.ComponentName(Name = "b")]
    private TorchSharp.Modules.Parameter bias;

    /// <summary>Creates the layer's parameters in <paramref name="dtype"/> on <paramref name="device"/> (null: the default dtype, the CPU).</summary>
    public LinearLayer(string name, int inFeatures, int outFeatures, ScalarType? dtype = null, Device? device = null) : base(name)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1.0 / System.Math.Sqrt(inFeatures);
        weight = Register("W", nn.init.kaiming_uniform_(torch.empty(outFeatures, inFeatures, dtype: dtype, device: device), a: System.Math.Sqrt(5.0)));
        bias = Register("b", nn.init.uniform_(torch.empty(outFeatures, dtype: dtype, device: device), -bound, bound));
    }

    /// <summary>The input size: the columns of <c>W</c>.</summary>
    public int InFeatures { get; }

    /// <summary>The output size: the rows of <c>W</c> and the length of <c>b</c>.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight <c>W</c>, <c>[out, in]</c>.</summary>
    public TorchSharp.Modules.Parameter Weight => weight;

    /// <summary>The bias <c>b</c>, <c>[out]</c>.</summary>
    public TorchSharp.Modules.Parameter Bias => bias;

    /// <summary><c>W @ input + b</c> for one sample (<c>[in]</c>) or a batch of rows (<c>[B, in]</c>).</summary>
    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);

    private TorchSharp.Modules.Parameter Register(string name, Tensor initialValue)
    {
        var parameter = new TorchSharp.Modules.Parameter(initialValue);
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
        return parameter;
    }
}
