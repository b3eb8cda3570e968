using System.Linq;
using ScottPlot;
using static TorchSharp.torch;

namespace Examples.Pendulum;

/// <summary>Two panels: theta against time, data vs learned; and the learned correction vs −c·omega against omega.</summary>
internal static class PendulumPlots
{
    private static readonly Color[] Palette =
        { Colors.Blue, Colors.OrangeRed, Colors.Green, Colors.Purple, Colors.DarkGoldenRod, Colors.Teal };

    public static void Save(PendulumTraining training, Checkpoint checkpoint, string path)
    {
        using var scope = NewDisposeScope();
        PendulumData data = training.Data;
        double[] t = data.T.data<double>().ToArray();
        Tensor fine = linspace(0, PendulumData.EndTime, 201, ScalarType.Float64);
        double[] tFine = fine.data<double>().ToArray();
        Tensor predicted = training.Predict(fine);

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        Plot time = multiplot.GetPlot(0);
        time.Title($"theta(t): data (dots) vs learned (lines), iteration {checkpoint.Iteration}");
        for (int b = 0; b < data.Count; b++)
        {
            Color color = Palette[b % Palette.Length];
            var points = time.Add.ScatterPoints(t, Column(data.Y, b, 0));
            points.Color = color;
            points.MarkerSize = 5;
            var line = time.Add.ScatterLine(tFine, Column(predicted, b, 0));
            line.Color = color;
            line.LineWidth = 1.5f;
        }
        time.XLabel("t");
        time.YLabel("theta");

        Plot correction = multiplot.GetPlot(1);
        correction.Title($"Correction vs omega: learned g = {checkpoint.Gravity:F3}, RMS error {checkpoint.CorrectionRms:F3}");
        Tensor omega = data.Y.reshape(-1, 2)[.., 1];
        double[] omegas = omega.data<double>().ToArray();
        double[] learned = training.LearnedCorrection().data<double>().ToArray();
        double lo = omegas.Min(), hi = omegas.Max();
        var truth = correction.Add.ScatterLine(new[] { lo, hi }, new[] { -PendulumData.Friction * lo, -PendulumData.Friction * hi });
        truth.Color = Colors.Black;
        truth.LineWidth = 2;
        truth.LegendText = $"true: −{PendulumData.Friction}·omega";
        var points2 = correction.Add.ScatterPoints(omegas, learned);
        points2.Color = Colors.Red.WithAlpha(0.6);
        points2.MarkerSize = 4;
        points2.LegendText = "learned, at the data's states";
        correction.XLabel("omega");
        correction.YLabel("correction to domega/dt");
        correction.ShowLegend();

        multiplot.SavePng(path, 1300, 520);
    }

    private static double[] Column(Tensor trajectories, int sample, int state) =>
        trajectories[.., sample, state].contiguous().data<double>().ToArray();
}
