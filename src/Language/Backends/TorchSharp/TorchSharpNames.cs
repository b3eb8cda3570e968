namespace OdeDsl.Language.Emit;

/// <summary>Every framework name the emitter writes, fully qualified with <c>global::</c> so no user type can capture it.</summary>
internal static class TorchSharpNames
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Scalar = "global::TorchSharp.Scalar";
    public const string Parameter = "global::TorchSharp.Modules.Parameter";
    public const string ComponentName = "global::TorchSharp.Utils.ComponentName";
    public const string Torch = "global::TorchSharp.torch";
    public const string ScalarType = "global::TorchSharp.torch.ScalarType";
    public const string Device = "global::TorchSharp.torch.Device";
    public const string Init = "global::TorchSharp.torch.nn.init";
    public const string Functional = "global::TorchSharp.torch.nn.functional";
    public const string Linalg = "global::TorchSharp.torch.linalg";
    public const string LinearLayer = "global::OdeDsl.LinearLayer";
    public const string OdeModel = "global::OdeDsl.OdeModel";
    public const string VjpResult = "global::OdeDsl.VjpResult";
    public const string HasVjp = "global::OdeDsl.IHasVjp";
    public const string HasJvp = "global::OdeDsl.IHasJvp";
    public const string HasJacobian = "global::OdeDsl.IHasJacobian";
    public const string HasDivergence = "global::OdeDsl.IHasDivergence";
    public const string Flow = "global::OdeDsl.IFlow";
    public const string HasFlowVjp = "global::OdeDsl.IHasFlowVjp";
    public const string FlowVjpResult = "global::OdeDsl.FlowVjpResult";
    public const string StateInfo = "global::OdeDsl.StateInfo";
    public const string ParameterInfo = "global::OdeDsl.ParameterInfo";
    public const string ReadOnlyList = "global::System.Collections.Generic.IReadOnlyList";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";
    public const string Math = "global::System.Math";
    public const string HostMath = "global::OdeDsl.HostMath";
}
