namespace FedLearn.Transport;

/// <summary>
/// An instruction the server sends to one client. A round may exchange several messages with each client
/// (training, evaluation, or the stages of secure aggregation); packages add their own message kinds.
/// </summary>
/// <param name="Round">The round the message belongs to (1-based).</param>
public abstract record ServerMessage(int Round)
{
    /// <summary>Bytes the message occupies on the wire, for accounting.</summary>
    public abstract long ByteSize { get; }
}

/// <summary>Train locally from the given global weights and send back the delta.</summary>
/// <param name="Round">The round.</param>
/// <param name="Weights">The global weights; shared read-only by every client of the round.</param>
/// <param name="Config">Local training settings for this client.</param>
public sealed record FitInstruction(int Round, ModelWeights Weights, FitConfig Config) : ServerMessage(Round)
{
    /// <inheritdoc />
    public override long ByteSize => (long)Weights.Length * sizeof(float);
}

/// <summary>Evaluate the given global weights on local test data.</summary>
/// <param name="Round">The round.</param>
/// <param name="Weights">The global weights; shared read-only.</param>
public sealed record EvaluateInstruction(int Round, ModelWeights Weights) : ServerMessage(Round)
{
    /// <inheritdoc />
    public override long ByteSize => (long)Weights.Length * sizeof(float);
}
