using System;
using static TorchSharp.torch;

namespace Examples.LatentOde;

/// <summary>
/// The latent ODE paper's spirals (Chen et al. 2018, §5.1; torchdiffeq's <c>latent_ode.py</c>): two Archimedean
/// spirals traced over θ on a uniform grid of <see cref="Total"/> points in [0, 6π] — counter-clockwise
/// r = a + bθ about (5, 0), clockwise r = a + 50b / (6π + 1 − θ) about (−5, 0). Each sample is one of them (a fair
/// coin), seen through a window of <see cref="Window"/> consecutive grid points that starts at a uniform index in
/// [Window, Total − 2·Window] (so the next window, which extrapolation predicts, is on the grid too), with Gaussian noise of std <see cref="NoiseStd"/>.
/// </summary>
/// <remarks>
/// Irregular sampling, as in the paper's Table 2: each sample observes only <see cref="Observations"/> of its window's
/// times, a uniform random subset of its own. The samples share one time grid (the window's relative times, the same
/// for every window because the θ grid is uniform), and <see cref="Mask"/> says which entries each sample observed:
/// a model reads, and a loss charges, a sample's observed entries only, so one sample's missing observations never
/// touch another's loss. Deterministic for a seed (System.Random, Box–Muller).
/// </remarks>
internal sealed class SpiralDataset
{
    public const int Total = 1000, Window = 100;
    public const double NoiseStd = 0.3, A = 0.0, B = 0.3, Stop = 6 * Math.PI;

    public SpiralDataset(int count, int observations, int seed)
    {
        if (observations < 1 || observations > Window)
            throw new ArgumentOutOfRangeException(nameof(observations), $"Each sample observes 1 to {Window} of its window's times; got {observations}.");
        Count = count;
        Observations = observations;
        var random = new Random(seed);
        var truth = new double[count * Window * 2];
        var future = new double[count * Window * 2];
        var observed = new double[count * Window * 2];
        var mask = new double[count * Window];
        Clockwise = new bool[count];
        StartIndex = new int[count];
        for (int sample = 0; sample < count; sample++)
        {
            StartIndex[sample] = Window + random.Next(Total - 3 * Window + 1);
            Clockwise[sample] = random.NextDouble() > 0.5;
            foreach (int i in Subset(random, Window, observations))
                mask[sample * Window + i] = 1.0;
            for (int i = 0; i < Window; i++)
            {
                (double x, double y) = Point(Clockwise[sample], StartIndex[sample] + i);
                int at = (sample * Window + i) * 2;
                truth[at] = x;
                truth[at + 1] = y;
                observed[at] = x + NoiseStd * Normal(random);
                observed[at + 1] = y + NoiseStd * Normal(random);
                (future[at], future[at + 1]) = Point(Clockwise[sample], StartIndex[sample] + Window + i);
            }
        }
        Truth = tensor(truth, new long[] { count, Window, 2 }, float64);
        Observed = tensor(observed, new long[] { count, Window, 2 }, float64);
        Mask = tensor(mask, new long[] { count, Window }, float64);
        Future = tensor(future, new long[] { count, Window, 2 }, float64);
        Times = tensor(ThetaGrid(0, Window), float64);
        FutureTimes = tensor(ThetaGrid(Window, Window), float64);
    }

    public int Count { get; }

    /// <summary>How many of its window's times each sample observes.</summary>
    public int Observations { get; }

    /// <summary>[Window]: the window's times relative to its start (θ − θ_start), shared by every sample.</summary>
    public Tensor Times { get; }

    /// <summary>[Count, Window, 2]: the noise-free spiral points of each window.</summary>
    public Tensor Truth { get; }

    /// <summary>[Window]: the times of the next window (extrapolation), continuing <see cref="Times"/>.</summary>
    public Tensor FutureTimes { get; }

    /// <summary>[Count, Window, 2]: the noise-free points of the window after each sample's (what extrapolation must predict).</summary>
    public Tensor Future { get; }

    /// <summary>[Count, Window, 2]: the noisy points; only those where <see cref="Mask"/> is 1 are observations.</summary>
    public Tensor Observed { get; }

    /// <summary>[Count, Window]: 1 where the sample observed that time, 0 where it did not.</summary>
    public Tensor Mask { get; }

    /// <summary>Whether each sample follows the clockwise spiral.</summary>
    public bool[] Clockwise { get; }

    /// <summary>Each sample's window start on the θ grid.</summary>
    public int[] StartIndex { get; }

    /// <summary>Point <paramref name="index"/> of the θ grid on the clockwise or counter-clockwise spiral.</summary>
    public static (double X, double Y) Point(bool clockwise, int index)
    {
        double theta = Stop * index / (Total - 1);
        if (clockwise)
        {
            double z = Stop + 1.0 - theta;
            double r = A + B * 50.0 / z;
            return (r * Math.Cos(z) - 5.0, r * Math.Sin(z));
        }
        double rc = A + B * theta;
        return (rc * Math.Cos(theta) + 5.0, rc * Math.Sin(theta));
    }

    private static double[] ThetaGrid(int first, int length)
    {
        var grid = new double[length];
        for (int i = 0; i < length; i++)
            grid[i] = Stop * (first + i) / (Total - 1);
        return grid;
    }

    // A uniform random k-subset of 0..n−1 (a partial Fisher–Yates shuffle).
    private static int[] Subset(Random random, int n, int k)
    {
        int[] items = new int[n];
        for (int i = 0; i < n; i++)
            items[i] = i;
        for (int i = 0; i < k; i++)
        {
            int j = i + random.Next(n - i);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items[..k];
    }

    private static double Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
