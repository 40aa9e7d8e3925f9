using FedLearn.Transport;

namespace FedLearn.Core.Tests.TestSupport;

/// <summary>How a scripted client answers a fit instruction.</summary>
internal enum ClientBehaviour
{
    Honest,
    Slow,
    NeverAnswers,
    Throws,
    ReportsError,
    WrongRound,
    WrongId,
    NonFinite,
    WrongLength,
}

/// <summary>
/// A client whose update is a constant vector (its <c>value</c> in every coordinate), with a scripted misbehaviour,
/// so the server loop can be tested against slow, failing and never-answering clients.
/// </summary>
internal sealed class ScriptedClient(string id, float value, long examples, ClientBehaviour behaviour = ClientBehaviour.Honest, TimeSpan? delay = null) : IClientMessageHandler
{
    public int Calls;

    /// <summary>The round and client learning rate of every fit instruction received, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(int Round, double LearningRate)> FitConfigs { get; } = new();

    public async Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        switch (behaviour)
        {
            case ClientBehaviour.NeverAnswers:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
            case ClientBehaviour.Slow:
                await Task.Delay(delay ?? TimeSpan.FromSeconds(30), cancellationToken);
                break;
            case ClientBehaviour.Throws:
                throw new InvalidOperationException($"{id} crashed");
            case ClientBehaviour.ReportsError:
                return new ErrorReply(id, message.Round, "out of memory");
        }

        if (message is EvaluateInstruction evaluate)
        {
            return new EvaluateReply(id, evaluate.Round, new EvaluationMetrics(1.0 - value, value, examples));
        }

        var fit = (FitInstruction)message;
        FitConfigs.Enqueue((fit.Round, fit.Config.LearningRate));
        int length = behaviour == ClientBehaviour.WrongLength ? fit.Weights.Length + 1 : fit.Weights.Length;
        float[] delta = Enumerable.Repeat(behaviour == ClientBehaviour.NonFinite ? float.NaN : value, length).ToArray();
        int round = behaviour == ClientBehaviour.WrongRound ? fit.Round + 1 : fit.Round;
        string sender = behaviour == ClientBehaviour.WrongId ? id + "-impostor" : id;
        var metrics = new TrainingMetrics(0.5, 0.8, examples, 1, TimeSpan.FromMilliseconds(1));
        return new FitReply(new ClientUpdate(sender, round, examples, new DenseUpdatePayload(delta), metrics));
    }
}
