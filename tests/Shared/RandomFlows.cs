using System;
using System.Collections.Generic;

namespace OdeDsl.Tests.Shared;

/// <summary>
/// Random `.ode` flows for the tests of the divergence (linked into the Language and Generator tests): a chain of
/// hidden layers of random widths and activations, the time concatenated first, last or not at all, and a tail of
/// nothing, −0.1·z or +z.
/// </summary>
internal static class RandomFlows
{
    private static readonly string[] Activations = { "tanh", "sigmoid", "softplus", "elu", "sin", "gelu", "silu", "asinh", "atan" };

    /// <summary>A flow called <paramref name="name"/> with <paramref name="hidden"/> hidden layers and a state of 2 to 4 elements.</summary>
    public static string Create(Random random, int hidden, string name)
    {
        // At least two elements: with one direction, forward mode costs less than any closed form.
        int size = random.Next(2, 5);
        int timePlace = random.Next(3);
        string Input(string x) => timePlace switch { 1 => $"[t; {x}]", 2 => $"[{x}; t]", _ => x };
        int extra = timePlace == 0 ? 0 : 1, width = size;
        var lines = new List<string> { $"state z[{size}];" };
        string previous = "z";
        for (int layer = 1; layer <= hidden + 1; layer++)
        {
            int outputs = layer == hidden + 1 ? size : random.Next(2, 9);
            lines.Add($"layer l{layer} = linear({width + extra}, {outputs});");
            if (layer <= hidden)
            {
                lines.Add($"let h{layer} = {Activations[random.Next(Activations.Length)]}(l{layer}({Input(previous)}));");
                previous = $"h{layer}";
            }
            width = outputs;
        }
        string tail = random.Next(3) switch { 0 => "", 1 => " - 0.1 * z", _ => " + z" };
        lines.Add($"dz/dt = l{hidden + 1}({Input(previous)}){tail};");
        return $"flow {name} {{\n    " + string.Join("\n    ", lines) + "\n}\n";
    }
}
