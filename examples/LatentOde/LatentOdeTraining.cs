using System;
using System.Linq;
using OdeDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace Examples.LatentOde;

/// <summary>
/// The latent ODE of the paper (§5.1), trained by maximising the ELBO: encode each sample's observations backwards
/// with <see cref="RecognitionRnn"/>, draw z0 by the reparameterisation trick, solve the latent dynamics of
/// <c>latent.ode</c> over the window's times with <see cref="Ode.SolveAdjoint"/>, decode, and charge the Gaussian
/// log-likelihood (noise std 0.3) of the OBSERVED entries only, minus KL(q(z0) ‖ N(0, I)). Float64; deterministic for a
/// seed (the weights and the reparameterisation noise come from generators of its own).
/// </summary>
internal sealed class LatentOdeTraining : IDisposable
{
    public const int LatentSize = 4, HiddenSize = 20, RnnHiddenSize = 25, ObservationSize = 2;

    /// <summary>
    /// Training tolerances for the latent solves. The backward solve restarts at each of the 100 output times; carrying
    /// its step size across them (instead of a fresh initial-step selection each time) halves its evaluations.
    /// </summary>
    public static SolverOptions Options { get; } = new()
    {
        Method = OdeMethod.Dopri5, RelTol = 1e-5, AbsTol = 1e-7, Adjoint = new AdjointOptions { CarryStepSize = true },
    };

    private readonly optim.Optimizer optimizer;
    private readonly Generator noise;

    public LatentOdeTraining(SpiralDataset data, long seed, double learningRate = 0.01)
    {
        Data = data;
        torch.manual_seed(seed);
        Dynamics = new LatentDynamics();
        Encoder = new RecognitionRnn(LatentSize, ObservationSize, RnnHiddenSize);
        Decoder = new Decoder(LatentSize, ObservationSize, HiddenSize);
        foreach (nn.Module module in new nn.Module[] { Dynamics, Encoder, Decoder })
            module.to(ScalarType.Float64);
        noise = new Generator((ulong)seed + 1);
        optimizer = optim.Adam(Parameters, lr: learningRate);
    }

    public SpiralDataset Data { get; }

    public LatentDynamics Dynamics { get; }

    public RecognitionRnn Encoder { get; }

    public Decoder Decoder { get; }

    public System.Collections.Generic.IEnumerable<TorchSharp.Modules.Parameter> Parameters =>
        Dynamics.parameters().Concat(Encoder.parameters()).Concat(Decoder.parameters());

    /// <summary>One Adam step on the whole data set; returns the ELBO per sample and the solver's evaluations.</summary>
    public (double Elbo, long Forward, long Backward) Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        (Tensor loss, OdeSolution solution) = NegativeElbo(sample: true);
        loss.backward();
        if (solution.BackwardFailure is { } failure)
            throw failure;
        optimizer.step();
        return (-loss.item<double>(), solution.Stats.FunctionEvaluations, solution.BackwardStats?.FunctionEvaluations ?? 0);
    }

    /// <summary>The ELBO per sample at the posterior means (no sampling noise), without gradients.</summary>
    public double Elbo()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return -NegativeElbo(sample: false).Loss.item<double>();
    }

    /// <summary>
    /// The paper's predictive RMSE on <paramref name="data"/>: encode each sample's observations, solve from the
    /// posterior mean through its window and on over the next one, and compare the decoded next window with the true
    /// spiral there.
    /// </summary>
    public double PredictiveRmse(SpiralDataset data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor times = cat(new[] { data.Times, data.FutureTimes }, 0);
        Tensor predicted = Reconstruct(data, times)[.., (int)data.Times.shape[0]..];
        return (predicted - data.Future).square().mean().sqrt().item<double>();
    }

    /// <summary>The decoded trajectories [B, T, 2] from each sample's posterior mean at <paramref name="times"/> (they may run backwards from 0).</summary>
    public Tensor Reconstruct(SpiralDataset data, Tensor times)
    {
        using var noGrad = no_grad();
        (Tensor mean, _) = Encoder.Encode(data.Observed, data.Mask, data.Times);
        return Decoder.forward(Ode.Solve(Dynamics, mean, times, Options).Ys).permute(1, 0, 2);
    }

    /// <summary>Each sample's −ELBO at the posterior means ([B]), without gradients: what the loss averages.</summary>
    public Tensor NegativeElboPerSample()
    {
        using var noGrad = no_grad();
        return NegativeElbo(sample: false, perSample: true).Loss;
    }

    private (Tensor Loss, OdeSolution Solution) NegativeElbo(bool sample, bool perSample = false)
    {
        (Tensor mean, Tensor logVariance) = Encoder.Encode(Data.Observed, Data.Mask, Data.Times);
        Tensor z0 = sample
            ? randn(mean.shape, mean.dtype, mean.device, generator: noise).mul(logVariance.mul(Rooted.Half).exp()).add(mean, Rooted.One)
            : mean;
        OdeSolution solution = sample ? Ode.SolveAdjoint(Dynamics, z0, Data.Times, Options) : Ode.Solve(Dynamics, z0, Data.Times, Options);
        Tensor predicted = Decoder.forward(solution.Ys).permute(1, 0, 2);                  // [B, T, 2]
        double noiseLogVariance = 2 * Math.Log(SpiralDataset.NoiseStd);
        // −½(log 2π + log σ² + (x − x̂)²/σ²), with Scalars kept alive over the calls.
        using Scalar scale = (-0.5 / Math.Exp(noiseLogVariance)).ToScalar(), offset = (-0.5 * (Math.Log(2 * Math.PI) + noiseLogVariance)).ToScalar();
        Tensor logLikelihood = (Data.Observed - predicted).square().mul(scale).add(offset, Rooted.One).sum(2);   // [B, T]
        Tensor observedLogLikelihood = (logLikelihood * Data.Mask).sum(1);                 // [B]: observed entries only
        // KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − log σ² − 1) per latent dimension
        Tensor kl = logVariance.exp().add(mean.square(), Rooted.One).sub(logVariance).add(Rooted.MinusOne, Rooted.One).mul(Rooted.Half).sum(1);
        Tensor loss = kl - observedLogLikelihood;
        return (perSample ? loss : loss.mean(), solution);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        noise.Dispose();
        Dynamics.Dispose();
        Encoder.Dispose();
        Decoder.Dispose();
    }
}
