using System.Collections.Concurrent;
using FedLearn.Samples.Shared.Pipeline;
using FedLearn.Transport;

namespace FedLearn.Samples.Server;

/// <summary>
/// Wraps the server's transport: before the first instruction to a client (and again after it reconnects) sends the
/// <see cref="PipelineOffer"/>, and stops the federation with a clear error when the client's settings disagree
/// (<see cref="PipelineCheck"/>); charges DP-SGD clients' training steps to the <see cref="ClientDpSgdLedger"/>.
/// Thread-safe.
/// </summary>
internal sealed class PipelineCheckingTransport(
    IServerTransport inner,
    PipelineOffer offer,
    ClientDpSgdLedger ledger,
    Action<string> onMismatch,
    ILogger logger) : IServerTransport
{
    private readonly ConcurrentDictionary<string, PipelineAnswer> _checked = new(StringComparer.Ordinal);

    /// <summary>The first disagreement found; <c>null</c> while every client agrees.</summary>
    public string? Mismatch { get; private set; }

    public IReadOnlyCollection<string> GetAvailableClients() => inner.GetAvailableClients();

    public async Task<ClientMessage> SendAsync(string clientId, ServerMessage message, CancellationToken cancellationToken)
    {
        if (Mismatch is { } known)
        {
            throw new InvalidOperationException($"the federation is stopping: {known}");
        }

        if (!_checked.TryGetValue(clientId, out PipelineAnswer? agreed))
        {
            agreed = await CheckAsync(clientId, message.Round, cancellationToken).ConfigureAwait(false);
        }

        ClientMessage reply = await ForwardAsync(clientId, message, cancellationToken).ConfigureAwait(false);
        if (reply is ErrorReply { Error: var error } && error.StartsWith(PipelineCheck.NotChecked, StringComparison.Ordinal))
        {
            // A restarted client process resumed the exchange its predecessor had open: check the new process, then
            // give it the instruction again, so it may still deliver in this round.
            _checked.TryRemove(clientId, out _);
            agreed = await CheckAsync(clientId, message.Round, cancellationToken).ConfigureAwait(false);
            reply = await ForwardAsync(clientId, message, cancellationToken).ConfigureAwait(false);
        }

        if (reply is FitReply fit && agreed.Dp == "sample")
        {
            ledger.Charge(clientId, fit.Update.Metrics.Steps);
        }

        return reply;
    }

    private async Task<ClientMessage> ForwardAsync(string clientId, ServerMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.SendAsync(clientId, message, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientUnavailableException)
        {
            // It may come back as another process with other settings: check it again then.
            _checked.TryRemove(clientId, out _);
            throw;
        }
    }

    private async Task<PipelineAnswer> CheckAsync(string clientId, int round, CancellationToken cancellationToken)
    {
        ClientMessage reply = await inner.SendAsync(clientId, offer with { Round = round }, cancellationToken).ConfigureAwait(false);
        string? problem = reply switch
        {
            PipelineAnswer { Problem: { } stated } => stated,
            PipelineAnswer answer => PipelineCheck.Problem(offer, clientId, answer.SecureAggregation, answer.Dp, answer.KeyFingerprint),
            ErrorReply error => $"client '{clientId}' could not check its settings against the server's: {error.Error}",
            _ => $"client '{clientId}' answered the settings check with {reply.GetType().Name}; it is not a FedLearn client app of this version.",
        };
        if (problem is not null)
        {
            Mismatch ??= problem;
            logger.LogError("Settings mismatch: {Problem}", problem);
            onMismatch(problem);
            throw new InvalidOperationException(problem);
        }

        var agreed = (PipelineAnswer)reply;
        if (agreed.Dp == "sample")
        {
            ledger.Declare(clientId, agreed.NoiseMultiplier, agreed.SampleRate);
            logger.LogInformation("Client {ClientId} trains with DP-SGD: noise multiplier {NoiseMultiplier}, sampling rate {SampleRate}", clientId, agreed.NoiseMultiplier, agreed.SampleRate);
        }

        _checked[clientId] = agreed;
        return agreed;
    }
}
