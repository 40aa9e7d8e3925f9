using FedLearn.Telemetry;
using FedLearn.Transport;

namespace FedLearn.Server;

public sealed partial class FederatedServer
{
    /// <summary>
    /// Sends one message to each client at once and collects the replies until every client has answered, the
    /// stage's deadline passes, or (with a straggler grace period) the quorum has answered and the grace ran out.
    /// Clients still working then are cancelled and reported as timed out; their late replies are ignored.
    /// </summary>
    private async Task<ExchangeResult> ExchangeAsync(
        int round,
        string[] clients,
        Func<string, ServerMessage> messageFor,
        int quorum,
        bool notifyObservers,
        CancellationToken cancellationToken)
    {
        using var stage = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stage.CancelAfter(_options.RoundTimeout);
        int finished = 0;
        int succeeded = 0;
        var quorumReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<(ClientMessage? Reply, ClientFailure? Failure)> RunOneAsync(string clientId)
        {
            (ClientMessage? Reply, ClientFailure? Failure) outcome;
            try
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                ClientMessage reply = await _transport.SendAsync(clientId, messageFor(clientId), stage.Token).ConfigureAwait(false);
                FedLearnTelemetry.ExchangeDuration.Record(
                    System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("fedlearn.reply", reply.GetType().Name));
                outcome = (reply, null);
            }
            catch (OperationCanceledException) when (stage.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                outcome = (null, new ClientFailure(clientId, ClientFailureKind.Timeout, $"no answer within the stage deadline of {_options.RoundTimeout}."));
            }
            catch (ClientUnavailableException exception)
            {
                outcome = (null, new ClientFailure(clientId, ClientFailureKind.Unavailable, exception.Message));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                outcome = (null, new ClientFailure(clientId, ClientFailureKind.Error, $"{exception.GetType().Name}: {exception.Message}"));
            }

            int done = Interlocked.Increment(ref finished);
            bool ok = outcome.Reply is not null and not ErrorReply;
            if (ok && Interlocked.Increment(ref succeeded) >= quorum)
            {
                quorumReached.TrySetResult();
            }

            if (notifyObservers)
            {
                foreach (IRoundObserver observer in _pipeline.Observers)
                {
                    observer.OnClientFinished(round, clientId, ok, done, clients.Length);
                }
            }

            return outcome;
        }

        var tasks = new Task<(ClientMessage? Reply, ClientFailure? Failure)>[clients.Length];
        for (int i = 0; i < clients.Length; i++)
        {
            tasks[i] = RunOneAsync(clients[i]);
        }

        Task all = Task.WhenAll(tasks);
        // The hard deadline is enforced here as well, so a transport that ignores cancellation cannot stall the round.
        Task deadline = Task.Delay(_options.RoundTimeout, cancellationToken);
        if (_options.StragglerGracePeriod is { } grace)
        {
            Task first = await Task.WhenAny(all, quorumReached.Task, deadline).ConfigureAwait(false);
            if (first == quorumReached.Task)
            {
                await Task.WhenAny(all, Task.Delay(grace, cancellationToken), deadline).ConfigureAwait(false);
            }
        }
        else
        {
            await Task.WhenAny(all, deadline).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await stage.CancelAsync().ConfigureAwait(false);

        var replies = new List<(string ClientId, ClientMessage Reply)>(clients.Length);
        var failures = new List<ClientFailure>();
        for (int i = 0; i < clients.Length; i++)
        {
            if (!tasks[i].IsCompletedSuccessfully)
            {
                failures.Add(new ClientFailure(clients[i], ClientFailureKind.Timeout, "the stage closed before the client answered."));
                continue;
            }

            (ClientMessage? reply, ClientFailure? failure) = tasks[i].Result;
            if (reply is not null)
            {
                replies.Add((clients[i], reply));
            }
            else
            {
                failures.Add(failure!);
            }
        }

        return new ExchangeResult(replies, failures);
    }

    private sealed record ExchangeResult(IReadOnlyList<(string ClientId, ClientMessage Reply)> Replies, IReadOnlyList<ClientFailure> Failures);
}
