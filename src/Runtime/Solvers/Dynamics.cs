using System;
using TorchSharp;
using static TorchSharp.torch;

namespace OdeDsl.Solvers;

/// <summary>
/// The user's <c>f(t, y)</c> as the solvers see it: takes time as a host double (the solvers keep time in double
/// precision, as torchdiffeq does), hands the module a scalar tensor in the state's dtype and device, and counts calls.
/// </summary>
internal sealed class Dynamics
{
    private readonly nn.Module<Tensor, Tensor, Tensor> module;
    private readonly ScalarType dtype;
    private readonly Device device;

    public Dynamics(nn.Module<Tensor, Tensor, Tensor> module, Tensor like)
    {
        this.module = module;
        dtype = like.dtype;
        device = like.device;
        Name = NameOf(module);
    }

    /// <summary>The name errors use: the module's type name.</summary>
    public string Name { get; }

    /// <summary>The module's type name, or the name a wrapper of the solver's own gives itself.</summary>
    public static string NameOf(nn.Module<Tensor, Tensor, Tensor> module) =>
        module is INamedDynamics named ? named.DisplayName : module.GetType().Name;

    public long Evaluations { get; private set; }

    /// <summary>Samples of a shared-step solve that failed and no longer move: their derivative is zero; null when none.</summary>
    public FrozenRows? Frozen { get; set; }

    public Tensor Evaluate(double t, Tensor y)
    {
        Evaluations++;
        using Tensor time = torch.tensor(t, dtype, device);
        Tensor derivative = module.call(time, y);
        return Frozen is { } frozen ? frozen.Apply(derivative) : derivative;
    }

    /// <summary>Evaluates with a time per sample (<c>[B]</c>), for per-sample stepping.</summary>
    public Tensor Evaluate(Tensor times, Tensor y)
    {
        Evaluations++;
        return module.call(times, y);
    }
}

/// <summary>A dynamics module of the runtime's own that names what it wraps, for error messages.</summary>
internal interface INamedDynamics
{
    string DisplayName { get; }
}

/// <summary>Lets a plain function <c>(t, y) → dy/dt</c> be solved like a module.</summary>
internal sealed class DelegateDynamics : nn.Module<Tensor, Tensor, Tensor>, INamedDynamics
{
    private readonly Func<Tensor, Tensor, Tensor> function;

    public DelegateDynamics(Func<Tensor, Tensor, Tensor> function) : base("DelegateDynamics")
    {
        this.function = function;
        DisplayName = NameOf(function.Method);
    }

    /// <summary>
    /// "Type.Method" for a named method; for a lambda, whose compiler names look like <c>&lt;&gt;c.&lt;Train&gt;b__3_0</c>,
    /// "Type.Method (lambda)" from the type and method that wrote it.
    /// </summary>
    private static string NameOf(System.Reflection.MethodInfo method)
    {
        Type? type = method.DeclaringType;
        while (type is not null && type.Name.StartsWith('<') && type.DeclaringType is not null)
            type = type.DeclaringType;
        string name = method.Name;
        bool lambda = name.StartsWith('<') && name.IndexOf('>') > 1;
        if (lambda)
            name = name[1..name.IndexOf('>')] + " (lambda)";
        return type is null ? name : $"{type.Name}.{name}";
    }

    public string DisplayName { get; }

    public override Tensor forward(Tensor t, Tensor y) => function(t, y);
}
