using System.Linq;
using Examples.LatentOde;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Examples.Tests;

/// <summary>The latent ODE's baseline, the time-aware RNN: it learns, and it reads observed entries only.</summary>
[Collection("TorchSharp's global generator")]
public sealed class RnnBaselineTests
{
    [Fact]
    public void OneStepLossAndExtrapolationImprove()
    {
        var data = new SpiralDataset(count: 32, observations: 30, seed: 7);
        var test = new SpiralDataset(count: 32, observations: 30, seed: 70);
        using var training = new RnnBaselineTraining(data, seed: 7);
        double rmseBefore = training.PredictiveRmse(test);
        double first = training.Step(), last = first;
        for (int i = 0; i < 40; i++)
            last = training.Step();

        Assert.True(last < 0.5 * first, $"one-step loss {first:F3} → {last:F3}");
        Assert.True(training.PredictiveRmse(test) < rmseBefore, $"predictive RMSE {rmseBefore:F3} → {training.PredictiveRmse(test):F3}");
    }

    [Fact]
    public void UnobservedEntriesChangeNoPrediction()
    {
        var data = new SpiralDataset(count: 8, observations: 20, seed: 8);
        using var training = new RnnBaselineTraining(data, seed: 8);
        double[] Predictions()
        {
            using var noGrad = no_grad();
            return training.Model.Extrapolate(data.Observed, data.Mask, data.Times, data.FutureTimes).contiguous().data<double>().ToArray();
        }
        double[] before = Predictions();

        using (no_grad())
            data.Observed.add_((1 - data.Mask).unsqueeze(2) * 1e6);
        Assert.Equal(before, Predictions());

        long observedTime = data.Mask[2].argmax().item<long>();
        using (no_grad())
            data.Observed[2, observedTime, 1] += 1.0;
        Assert.NotEqual(before, Predictions());
    }
}
