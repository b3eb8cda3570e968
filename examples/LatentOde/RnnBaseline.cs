using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Examples.LatentOde;

/// <summary>
/// The paper's baseline (Table 2): a time-aware recurrent network. A GRU cell reads each sample's observations forwards
/// in time, each with the time gap since that sample's previous observation; a head maps the hidden state and the gap
/// to the next point, y(t_last + Δ) = head([h; Δ]). It is trained on the same windows as the latent ODE, to predict
/// each observed point from the observations before it (Gaussian log-likelihood with the data's noise, so it is the
/// mean squared error scaled), and it extrapolates autoregressively: predict the next time, feed the prediction back.
/// </summary>
/// <remarks>
/// Irregular times are handled as in <see cref="RecognitionRnn"/>: an unobserved time leaves the sample's hidden state
/// as it was, and gaps are measured from the sample's own previous observation, so a sample's loss depends on its own
/// observations only.
/// </remarks>
internal sealed class RnnBaseline : nn.Module
{
    private readonly GRUCell cell;
    private readonly Linear head1;
    private readonly Linear head2;

    public RnnBaseline(int observationSize, int hiddenSize) : base(nameof(RnnBaseline))
    {
        HiddenSize = hiddenSize;
        cell = nn.GRUCell(observationSize + 1, hiddenSize);
        head1 = nn.Linear(hiddenSize + 1, hiddenSize);
        head2 = nn.Linear(hiddenSize, observationSize);
        RegisterComponents();
    }

    public int HiddenSize { get; }

    /// <summary>
    /// One-step-ahead predictions [B, T, D] for the window: entry t is the prediction of x(t_t) from the sample's
    /// observations before t (the first entry, with nothing read yet, predicts from the zero state and gap 0).
    /// </summary>
    public Tensor PredictEachNext(Tensor observed, Tensor mask, Tensor times)
    {
        long batch = observed.shape[0], steps = observed.shape[1];
        Tensor h = zeros(new[] { batch, (long)HiddenSize }, observed.dtype, observed.device);
        Tensor lastSeen = times[0].expand(batch);
        Tensor seenAt = mask.gt(Rooted.Zero);
        var predictions = new Tensor[steps];
        for (long t = 0; t < steps; t++)
        {
            Tensor gap = (times[t] - lastSeen).unsqueeze(1);
            predictions[t] = Head(h, gap);
            Tensor seen = seenAt[.., t];
            Tensor updated = cell.forward(cat(new[] { observed[.., t, ..], gap }, 1), h);
            h = torch.where(seen.unsqueeze(1), updated, h);
            lastSeen = torch.where(seen, times[t].expand(batch), lastSeen);
        }
        return stack(predictions, 1);
    }

    /// <summary>
    /// Reads the window's observations, then predicts at each of <paramref name="futureTimes"/> in turn, feeding each
    /// prediction back as the next input: [B, T_future, D].
    /// </summary>
    public Tensor Extrapolate(Tensor observed, Tensor mask, Tensor times, Tensor futureTimes)
    {
        long batch = observed.shape[0], steps = observed.shape[1];
        Tensor h = zeros(new[] { batch, (long)HiddenSize }, observed.dtype, observed.device);
        Tensor lastSeen = times[0].expand(batch);
        Tensor seenAt = mask.gt(Rooted.Zero);
        for (long t = 0; t < steps; t++)
        {
            Tensor seen = seenAt[.., t];
            Tensor gap = (times[t] - lastSeen).unsqueeze(1);
            Tensor updated = cell.forward(cat(new[] { observed[.., t, ..], gap }, 1), h);
            h = torch.where(seen.unsqueeze(1), updated, h);
            lastSeen = torch.where(seen, times[t].expand(batch), lastSeen);
        }
        long ahead = futureTimes.shape[0];
        var predictions = new Tensor[ahead];
        for (long t = 0; t < ahead; t++)
        {
            Tensor gap = (futureTimes[t] - lastSeen).unsqueeze(1);
            predictions[t] = Head(h, gap);
            h = cell.forward(cat(new[] { predictions[t], gap }, 1), h);
            lastSeen = futureTimes[t].expand(batch);
        }
        return stack(predictions, 1);
    }

    private Tensor Head(Tensor h, Tensor gap) => head2.forward(head1.forward(cat(new[] { h, gap }, 1)).relu());
}

/// <summary>Trains <see cref="RnnBaseline"/> with Adam on the whole data set, like <see cref="LatentOdeTraining"/>.</summary>
internal sealed class RnnBaselineTraining : IDisposable
{
    public const int HiddenSize = 25;

    private readonly optim.Optimizer optimizer;

    public RnnBaselineTraining(SpiralDataset data, long seed, double learningRate = 0.01)
    {
        Data = data;
        torch.manual_seed(seed);
        Model = new RnnBaseline(LatentOdeTraining.ObservationSize, HiddenSize);
        Model.to(ScalarType.Float64);
        optimizer = optim.Adam(Model.parameters(), lr: learningRate);
    }

    public SpiralDataset Data { get; }

    public RnnBaseline Model { get; }

    /// <summary>One Adam step; returns the mean squared one-step-ahead error over the observed entries after the first.</summary>
    public double Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = Loss();
        loss.backward();
        optimizer.step();
        return loss.item<double>();
    }

    /// <summary>Predictive RMSE on the next window, as <see cref="LatentOdeTraining.PredictiveRmse"/> measures it.</summary>
    public double PredictiveRmse(SpiralDataset data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor predicted = Model.Extrapolate(data.Observed, data.Mask, data.Times, data.FutureTimes);
        return (predicted - data.Future).square().mean().sqrt().item<double>();
    }

    // Squared error of each observed entry's prediction, except each sample's first observation (nothing precedes it).
    private Tensor Loss()
    {
        Tensor predicted = Model.PredictEachNext(Data.Observed, Data.Mask, Data.Times);
        Tensor charged = Data.Mask * Data.Mask.cumsum(1).gt(Rooted.One).to(Data.Mask.dtype);
        Tensor squared = (predicted - Data.Observed).square().sum(2) * charged;
        return squared.sum() / charged.sum().mul(Rooted.Two);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Model.Dispose();
    }
}
