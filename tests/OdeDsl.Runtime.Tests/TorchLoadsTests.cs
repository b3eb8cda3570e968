using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Runtime.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void MatmulAndBackwardRunOnTheNativeBackend()
    {
        var w = tensor(new double[] { 1, 2, 3, 4 }, new long[] { 2, 2 }, requires_grad: true);
        var x = tensor(new double[] { 1, -1 }, new long[] { 2, 1 });
        var y = w.matmul(x).square().sum();
        y.backward();
        // y = (1-2)^2 + (3-4)^2 = 2; dy/dW = 2 (Wx) x^T = [[-2, 2], [-2, 2]]
        Assert.Equal(2.0, y.item<double>(), 12);
        Assert.Equal(new double[] { -2, 2, -2, 2 }, w.grad!.data<double>().ToArray());
    }
}
