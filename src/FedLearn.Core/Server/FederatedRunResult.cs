namespace FedLearn.Server;

/// <summary>The outcome of <see cref="FederatedServer.RunAsync"/>.</summary>
/// <param name="Rounds">Every round run by this call, in order (rounds restored from a checkpoint are not repeated).</param>
/// <param name="FinalWeights">The global weights after the last round.</param>
/// <param name="Elapsed">Wall time of the call.</param>
public sealed record FederatedRunResult(IReadOnlyList<RoundResult> Rounds, ModelWeights FinalWeights, TimeSpan Elapsed);
