using TorchSharp;

namespace Examples.LatentOde;

/// <summary>
/// Scalars that live as long as the process. TorchSharp turns a number in <c>x * 0.5</c> or <c>1 - x</c> (and the
/// implicit alpha of every <c>a + b</c>) into a finalizer-owned native Scalar that nothing references during the
/// native call, so a garbage collection at the wrong moment frees it mid-call; the training loops here use these
/// instead (and <c>torch.where</c> for the masks).
/// </summary>
internal static class Rooted
{
    public static readonly Scalar Zero = 0.0.ToScalar(), One = 1.0.ToScalar(), Half = 0.5.ToScalar(), MinusOne = (-1.0).ToScalar(), Two = 2.0.ToScalar();
}
