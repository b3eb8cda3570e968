using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Examples.Cnf2d;

/// <summary>FFJORD's 2-D toy densities, drawn in C# from a seeded generator (scikit-learn's make_moons / make_circles shapes).</summary>
internal static class ToyData
{
    /// <summary>
    /// <paramref name="n"/> points of two interleaved half circles (unit radius, the second shifted by (1, −0.5)),
    /// with Gaussian noise of std 0.1, centred and scaled by 2 as FFJORD does.
    /// </summary>
    public static Tensor Moons(long n, Generator generator)
    {
        using var scope = NewDisposeScope();
        Tensor angle = torch.rand(n, dtype: float32, generator: generator) * Math.PI;
        Tensor upper = torch.rand(n, dtype: float32, generator: generator) < 0.5;
        Tensor x = torch.where(upper, angle.cos(), 1 - angle.cos());
        Tensor y = torch.where(upper, angle.sin(), 0.5 - angle.sin());
        Tensor points = torch.stack(new[] { x, y }, 1) + 0.1 * torch.randn(n, 2, dtype: float32, generator: generator);
        return ((points - torch.tensor(new[] { 0.5f, 0.25f })) * 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="n"/> points of two concentric circles (radii 1 and 0.5) with Gaussian noise of std 0.08,
    /// scaled by 3 as FFJORD does.
    /// </summary>
    public static Tensor Circles(long n, Generator generator)
    {
        using var scope = NewDisposeScope();
        Tensor angle = torch.rand(n, dtype: float32, generator: generator) * (2 * Math.PI);
        Tensor radius = torch.where(torch.rand(n, dtype: float32, generator: generator) < 0.5, torch.tensor(1.0f), torch.tensor(0.5f));
        Tensor points = torch.stack(new[] { radius * angle.cos(), radius * angle.sin() }, 1) + 0.08 * torch.randn(n, 2, dtype: float32, generator: generator);
        return (points * 3).MoveToOuterDisposeScope();
    }

    public static Tensor Draw(string name, long n, Generator generator) => name switch
    {
        "moons" => Moons(n, generator),
        "circles" => Circles(n, generator),
        _ => throw new ArgumentException($"Unknown data set '{name}': use moons or circles."),
    };
}
