using System;
using System.Linq;
using Examples.LatentOde;
using Xunit;
using static TorchSharp.torch;

namespace OdeDsl.Examples.Tests;

/// <summary>
/// The latent ODE example's spirals have the statistics the paper's protocol prescribes: noise of std 0.3, a fair
/// coin between the two spirals, windows inside the grid, exactly K observed times per sample, different for different
/// samples, and points on the Archimedean spirals (checked by their geometry, not by their formula).
/// </summary>
public sealed class LatentOdeDataTests
{
    private static readonly SpiralDataset Data = new(count: 400, observations: 30, seed: 3);

    [Fact]
    public void NoiseHasTheDeclaredStandardDeviation()
    {
        Tensor noise = Data.Observed - Data.Truth;
        double mean = noise.mean().item<double>();
        double std = noise.std().item<double>();
        double n = noise.numel();
        Assert.True(Math.Abs(mean) < 4 * SpiralDataset.NoiseStd / Math.Sqrt(n), $"noise mean {mean}");
        // The standard error of a sample std is about σ/√(2n) (0.0008 here): 2% is a wide margin.
        Assert.InRange(std, 0.98 * SpiralDataset.NoiseStd, 1.02 * SpiralDataset.NoiseStd);
    }

    [Fact]
    public void SpiralsAreChosenByAFairCoinAndWindowsStayInsideTheGrid()
    {
        int clockwise = Data.Clockwise.Count(c => c);
        double sigma = Math.Sqrt(Data.Count * 0.25);
        Assert.InRange(clockwise, Data.Count / 2 - 4 * sigma, Data.Count / 2 + 4 * sigma);
        Assert.All(Data.StartIndex, start => Assert.InRange(start, SpiralDataset.Window, SpiralDataset.Total - 2 * SpiralDataset.Window));
        // The future window continues the observed one on the same spiral.
        Assert.All(Enumerable.Range(0, Data.Count), i => Assert.Equal(SpiralDataset.Point(Data.Clockwise[i], Data.StartIndex[i] + SpiralDataset.Window).X, Data.Future[i, 0, 0].item<double>(), 12));
    }

    [Fact]
    public void EachSampleObservesExactlyKTimesOfItsOwn()
    {
        double[] perSample = Data.Mask.sum(1).data<double>().ToArray();
        Assert.All(perSample, k => Assert.Equal(30.0, k));
        int distinct = Enumerable.Range(0, Data.Count)
            .Select(i => string.Join(",", Data.Mask[i].data<double>().ToArray())).Distinct().Count();
        Assert.True(distinct > Data.Count * 0.99, $"only {distinct} distinct masks among {Data.Count} samples");
        // Every time of the window is observed by about K/Window of the samples: the subsets are uniform.
        double[] perTime = Data.Mask.mean(new long[] { 0 }).data<double>().ToArray();
        Assert.All(perTime, fraction => Assert.InRange(fraction, 0.3 - 0.12, 0.3 + 0.12));
    }

    [Fact]
    public void PointsLieOnArchimedeanSpirals()
    {
        // Counter-clockwise: r = bθ about (5, 0), so the radius grows by b·Δθ per grid step.
        // Clockwise: r = 50b / (6π + 1 − θ) about (−5, 0), so 1/r grows by −Δθ / (50b) per grid step.
        double step = SpiralDataset.Stop / (SpiralDataset.Total - 1);
        for (int i = 1; i < SpiralDataset.Total; i++)
        {
            var (x0, y0) = SpiralDataset.Point(false, i - 1);
            var (x1, y1) = SpiralDataset.Point(false, i);
            Assert.Equal(SpiralDataset.B * step, Math.Sqrt((x1 - 5) * (x1 - 5) + y1 * y1) - Math.Sqrt((x0 - 5) * (x0 - 5) + y0 * y0), 10);
            var (u0, v0) = SpiralDataset.Point(true, i - 1);
            var (u1, v1) = SpiralDataset.Point(true, i);
            double inverseGrowth = 1 / Math.Sqrt((u1 + 5) * (u1 + 5) + v1 * v1) - 1 / Math.Sqrt((u0 + 5) * (u0 + 5) + v0 * v0);
            Assert.Equal(-step / (50 * SpiralDataset.B), inverseGrowth, 10);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameDataAndOthersDoNot()
    {
        var again = new SpiralDataset(count: 400, observations: 30, seed: 3);
        var other = new SpiralDataset(count: 400, observations: 30, seed: 4);
        static double[] Values(Tensor t) => t.contiguous().data<double>().ToArray();
        Assert.Equal(Values(Data.Observed), Values(again.Observed));
        Assert.Equal(Values(Data.Mask), Values(again.Mask));
        Assert.NotEqual(Values(Data.Observed), Values(other.Observed));
    }

    [Fact]
    public void ObservationCountOutsideTheWindowIsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SpiralDataset(10, 101, 0));
        Assert.Contains("1 to 100", error.Message);
    }
}
