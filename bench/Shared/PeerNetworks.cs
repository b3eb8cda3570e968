using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OdeDsl.Peers;

/// <summary>
/// The closed-form inputs of bench/peers/PROBLEMS.md shared by the benchmark and the tests (linked into both), so
/// that both compute exactly what the peers computed: every number in double in the documented order, rounded once.
/// </summary>
internal static class PeerNetworks
{
    /// <summary>S(rows, cols, amp, phase)[i][j] = amp·sin(a) of PROBLEMS.md §1, row-major.</summary>
    public static double[] SinMatrix(int rows, int cols, double amp, double phase)
    {
        var values = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            double I = i + 1;
            for (int j = 0; j < cols; j++)
            {
                double J = j + 1;
                double a = phase + 0.37 * I * J;
                a = a + 1.3 * I;
                a = a + 0.7 * J;
                a = a + 0.011 * I * J * J;
                a = a + 0.007 * I * I * J;
                values[i * cols + j] = amp * Math.Sin(a);
            }
        }
        return values;
    }
}

/// <summary>P1's model, hand-written: f(t, y) = L2(tanh(L1(y∘y∘y))), L1: 2→50, L2: 50→2, closed-form weights (§3).</summary>
internal sealed class SpiralNet : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear l1, l2;

    public SpiralNet(ScalarType dtype) : base(nameof(SpiralNet))
    {
        l1 = nn.Linear(2, 50, dtype: dtype);
        l2 = nn.Linear(50, 2, dtype: dtype);
        using (no_grad())
        {
            l1.weight!.copy_(tensor(PeerNetworks.SinMatrix(50, 2, 0.14, 0.1), new long[] { 50, 2 }, ScalarType.Float64).to(dtype));
            l1.bias!.zero_();
            l2.weight!.copy_(tensor(PeerNetworks.SinMatrix(2, 50, 0.14, 0.2), new long[] { 2, 50 }, ScalarType.Float64).to(dtype));
            l2.bias!.zero_();
        }
        RegisterComponents();
    }

    public Linear L1 => l1;

    public Linear L2 => l2;

    public override Tensor forward(Tensor t, Tensor y)
    {
        using Tensor cube = y.pow(3);
        using Tensor hidden = l1.forward(cube);
        using Tensor activation = hidden.tanh();
        return l2.forward(activation);
    }
}
