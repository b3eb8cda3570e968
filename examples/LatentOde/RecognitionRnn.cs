using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Examples.LatentOde;

/// <summary>
/// The encoder q(z0 | observations): an RNN read backwards in time (torchdiffeq's RecognitionRNN), h ← tanh(W [x; Δt; h] + b),
/// whose last state gives the mean and log-variance of z0. Irregular sampling is handled per sample: an unobserved
/// time leaves that sample's h as it was, and Δt is the time to the sample's previously read observation, so what a
/// sample's encoding sees is its own observations and their times only.
/// </summary>
internal sealed class RecognitionRnn : nn.Module
{
    private readonly Linear i2h;
    private readonly Linear h2o;

    public RecognitionRnn(int latentSize, int observationSize, int hiddenSize) : base(nameof(RecognitionRnn))
    {
        HiddenSize = hiddenSize;
        LatentSize = latentSize;
        i2h = nn.Linear(observationSize + 1 + hiddenSize, hiddenSize);
        h2o = nn.Linear(hiddenSize, 2 * latentSize);
        RegisterComponents();
    }

    public int HiddenSize { get; }

    public int LatentSize { get; }

    /// <summary>
    /// Reads <paramref name="observed"/> [B, T, D] where <paramref name="mask"/> [B, T] is 1, from the last time of
    /// <paramref name="times"/> [T] to the first; returns the mean and log-variance of q(z0), each [B, latent].
    /// </summary>
    public (Tensor Mean, Tensor LogVariance) Encode(Tensor observed, Tensor mask, Tensor times)
    {
        long batch = observed.shape[0], steps = observed.shape[1];
        Tensor h = zeros(new[] { batch, (long)HiddenSize }, observed.dtype, observed.device);
        Tensor lastSeen = times[steps - 1].expand(batch);
        Tensor seenAt = mask.gt(Rooted.Zero);
        for (long t = steps - 1; t >= 0; t--)
        {
            Tensor seen = seenAt[.., t];
            Tensor gap = (lastSeen - times[t]).unsqueeze(1);
            Tensor updated = i2h.forward(cat(new[] { observed[.., t, ..], gap, h }, 1)).tanh();
            h = torch.where(seen.unsqueeze(1), updated, h);
            lastSeen = torch.where(seen, times[t].expand(batch), lastSeen);
        }
        Tensor output = h2o.forward(h);
        return (output[.., ..LatentSize], output[.., LatentSize..]);
    }
}
