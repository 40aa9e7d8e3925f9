using System.Globalization;
using FedLearn.Privacy;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Privacy.Flags;
using FedLearn.Privacy.Mechanisms;
using FedLearn.Torch;
using FedLearn.Torch.Privacy;

namespace FedLearn.Samples.Shared;

/// <summary>
/// What the <c>--dp</c> flag (<see cref="DpFlagParser"/>) builds, shared by the simulation and the server and client
/// apps: the DP-SGD settings of a client (<c>sample</c>) and the client-level DP-FedAvg decorator around the server's
/// aggregator (<c>client</c>, <c>client-adaptive</c>).
/// </summary>
/// <remarks>
/// <c>sample</c> runs in the clients: its noise is calibrated so that every round a client could take part in
/// (rounds × local epochs) spends at most the target ε on its own records. <c>client</c> and <c>client-adaptive</c> run
/// in the server, which clips and noises each update before averaging, so they need the server to see every update:
/// they do not combine with secure aggregation (<see cref="SecureAggregationConflict"/>).
/// </remarks>
internal static class PrivacySpec
{
    /// <summary>δ of the client-level modes, which the flag does not carry.</summary>
    public const double ClientLevelDelta = 1e-5;

    /// <summary>Parses <c>--dp</c>; a bad value is a <see cref="FormatException"/> naming the problem.</summary>
    public static DpFlag Parse(string? text) =>
        DpFlagParser.TryParse(text, out DpFlag? flag, out string? error) ? flag : throw new FormatException(error);

    /// <summary>True for the modes the server runs (client-level DP-FedAvg).</summary>
    public static bool IsClientLevel(DpFlag flag) => flag.Mode is DpMode.Client or DpMode.ClientAdaptive;

    /// <summary>The problem of running <paramref name="flag"/> with secure aggregation, or <c>null</c>.</summary>
    public static string? SecureAggregationConflict(DpFlag flag, SecureAggregationSpec secure, string option = "--dp") =>
        IsClientLevel(flag) && secure.Enabled
            ? $"{option} {Mode(flag)} clips and noises each client's update at the server, which {secure.Protocol} secure aggregation hides from it; use --dp sample:eps=<e>,delta=<d>,clip=<c> (DP-SGD in the clients, before masking) or no secure aggregation."
            : null;

    /// <summary>The flag's mode as written (<c>sample</c>, <c>client</c>, …).</summary>
    public static string Mode(DpFlag flag) => flag.Mode switch
    {
        DpMode.None => "none",
        DpMode.Sample => "sample",
        DpMode.Client => "client",
        _ => "client-adaptive",
    };

    /// <summary>A one-line description for logs and the console.</summary>
    public static string Describe(DpFlag flag) => flag.Mode switch
    {
        DpMode.None => "none",
        DpMode.Sample => string.Create(CultureInfo.InvariantCulture, $"DP-SGD in every client, target ε = {flag.TargetEpsilon} at δ = {flag.Delta}, C = {flag.ClippingNorm}"),
        DpMode.Client => string.Create(CultureInfo.InvariantCulture, $"client-level DP-FedAvg, server-side clipping C = {flag.ClippingNorm}, σ = {flag.NoiseMultiplier}, δ = {ClientLevelDelta}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"client-level DP-FedAvg, adaptive clipping to quantile {flag.TargetQuantile}, σ = {flag.NoiseMultiplier}, δ = {ClientLevelDelta}"),
    };

    /// <summary>DP-SGD settings of one client for a <c>sample</c> flag and the federation's plan.</summary>
    public static DpSgdOptions DpSgdOptions(DpFlag flag, int rounds, int localEpochs, int batchSize, string optimizer) => new()
    {
        TargetEpsilon = flag.TargetEpsilon,
        Delta = flag.Delta ?? throw new ArgumentException("DP-SGD needs a sample flag.", nameof(flag)),
        MaxGradientNorm = flag.ClippingNorm!.Value,
        PlannedEpochs = (double)rounds * localEpochs,
        ExpectedBatchSize = batchSize,
        Optimizer = optimizer == "adam" ? TorchOptimizerKind.Adam : TorchOptimizerKind.Sgd,
    };

    /// <summary>
    /// <paramref name="inner"/> wrapped in client-level DP-FedAvg for a <c>client</c> or <c>client-adaptive</c> flag (the
    /// decorator is also the privacy reporter); <paramref name="inner"/> itself and no reporter otherwise.
    /// </summary>
    /// <param name="flag">The parsed flag.</param>
    /// <param name="inner">The aggregation rule.</param>
    /// <param name="sampleRate">Fraction of clients sampled per round.</param>
    /// <param name="clients">Clients in the federation (sizes the adaptive clipped-count noise).</param>
    /// <param name="seed">Run seed; the noise is derived from it, so runs are reproducible.</param>
    public static (IAggregator Aggregator, IPrivacyReporter? Reporter) WrapAggregator(DpFlag flag, IAggregator inner, double sampleRate, int clients, ulong seed)
    {
        switch (flag.Mode)
        {
            case DpMode.Client:
                var fixedClipping = new ServerSideFixedClippingAggregator(
                    inner,
                    new FixedClippingOptions { ClippingNorm = flag.ClippingNorm!.Value, NoiseMultiplier = flag.NoiseMultiplier!.Value, SampleRate = sampleRate },
                    new SeededGaussianNoise(Seeds.Derive(seed, "dp-fedavg")));
                return (fixedClipping, fixedClipping);
            case DpMode.ClientAdaptive:
                var adaptive = new AdaptiveClippingAggregator(
                    inner,
                    new AdaptiveClippingOptions
                    {
                        NoiseMultiplier = flag.NoiseMultiplier!.Value,
                        TargetQuantile = flag.TargetQuantile!.Value,
                        SampleRate = sampleRate,

                        // Andrew et al. suggest m/20 for the clipped-count noise; it must exceed σ/2, which m/20 does not
                        // for small federations, so take at least σ.
                        ClippedCountStddev = Math.Max(clients * sampleRate / 20.0, flag.NoiseMultiplier!.Value),
                    },
                    new SeededGaussianNoise(Seeds.Derive(seed, "dp-fedavg")));
                return (adaptive, adaptive);
            default:
                return (inner, null);
        }
    }
}
