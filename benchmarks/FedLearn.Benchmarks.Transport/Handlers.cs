namespace FedLearn.Benchmarks.Transport;

/// <summary>Answers at once: an evaluation with a tiny reply, a fit with a dense update of a given size (tiny when 0).</summary>
internal sealed class ReplyHandler(string clientId, int replyFloats) : IClientMessageHandler
{
    private float[]? _reply;

    public Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken)
    {
        if (replyFloats == 0 || message is not FitInstruction)
        {
            return Task.FromResult<ClientMessage>(new EvaluateReply(clientId, message.Round, new EvaluationMetrics(0, 0, 1)));
        }

        // One buffer reused across rounds: the client's own memory is not what is measured.
        _reply ??= Enumerable.Range(0, replyFloats).Select(i => (float)Math.Sin(i)).ToArray();
        return Task.FromResult<ClientMessage>(new FitReply(new ClientUpdate(clientId, message.Round, 1, new DenseUpdatePayload(_reply), new TrainingMetrics(0, 0, 1, 1, TimeSpan.Zero))));
    }
}
