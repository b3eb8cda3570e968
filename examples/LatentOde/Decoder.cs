using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Examples.LatentOde;

/// <summary>p(x | z): the latent state mapped back to an observation, Linear → ReLU → Linear (torchdiffeq's Decoder).</summary>
internal sealed class Decoder : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    public Decoder(int latentSize, int observationSize, int hiddenSize) : base(nameof(Decoder))
    {
        fc1 = nn.Linear(latentSize, hiddenSize);
        fc2 = nn.Linear(hiddenSize, observationSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z) => fc2.forward(fc1.forward(z).relu());
}
