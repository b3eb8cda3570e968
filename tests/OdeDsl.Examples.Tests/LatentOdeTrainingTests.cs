using System.Linq;
using Examples.LatentOde;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Examples.Tests;

/// <summary>The latent ODE learns: a short seeded ELBO training run on a small irregular data set.</summary>
[Collection("TorchSharp's global generator")]
public sealed class LatentOdeTrainingTests
{
    [Fact]
    public void ElboAndExtrapolationImprove()
    {
        var data = new SpiralDataset(count: 32, observations: 30, seed: 5);
        using var training = new LatentOdeTraining(data, seed: 5);
        var test = new SpiralDataset(count: 32, observations: 30, seed: 50);
        double before = training.Elbo(), rmseBefore = training.PredictiveRmse(test);
        for (int i = 0; i < 15; i++)
            training.Step();
        double after = training.Elbo(), rmseAfter = training.PredictiveRmse(test);

        Assert.True(after > before + 0.1 * System.Math.Abs(before), $"ELBO {before:F1} → {after:F1}");
        Assert.True(rmseAfter < rmseBefore, $"predictive RMSE on held-out spirals {rmseBefore:F3} → {rmseAfter:F3}");
    }

    [Fact]
    public void UnobservedEntriesTouchNoSamplesLoss()
    {
        var data = new SpiralDataset(count: 8, observations: 30, seed: 6);
        using var training = new LatentOdeTraining(data, seed: 6);
        double[] before = training.NegativeElboPerSample().data<double>().ToArray();

        // Garbage wherever nothing was observed: no sample's loss may move (not even by rounding).
        Tensor unobserved = (1 - data.Mask).unsqueeze(2);
        using (no_grad())
            data.Observed.add_(unobserved * 1e6);
        double[] after = training.NegativeElboPerSample().data<double>().ToArray();
        Assert.Equal(before, after);

        // An observed entry does count.
        long observedTime = data.Mask[1].argmax().item<long>();
        using (no_grad())
            data.Observed[1, observedTime, 0] += 1.0;
        Assert.NotEqual(after[1], training.NegativeElboPerSample()[1].item<double>());
    }
}
