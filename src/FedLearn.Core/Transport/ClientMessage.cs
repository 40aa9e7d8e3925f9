namespace FedLearn.Transport;

/// <summary>A client's reply to one <see cref="ServerMessage"/>.</summary>
/// <param name="ClientId">The client replying.</param>
/// <param name="Round">The round the reply belongs to.</param>
public abstract record ClientMessage(string ClientId, int Round)
{
    /// <summary>Bytes the message occupies on the wire, for accounting.</summary>
    public abstract long ByteSize { get; }
}

/// <summary>The reply to a <see cref="FitInstruction"/>: the client's update.</summary>
/// <param name="Update">The update.</param>
public sealed record FitReply(ClientUpdate Update) : ClientMessage(Update.ClientId, Update.Round)
{
    /// <inheritdoc />
    public override long ByteSize => Update.Payload.ByteSize;
}

/// <summary>The reply to an <see cref="EvaluateInstruction"/>.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Round">The round.</param>
/// <param name="Metrics">Loss and accuracy on the client's test data.</param>
public sealed record EvaluateReply(string ClientId, int Round, EvaluationMetrics Metrics) : ClientMessage(ClientId, Round)
{
    /// <inheritdoc />
    public override long ByteSize => 3 * sizeof(double);
}

/// <summary>The client could not carry out the instruction; the server records this as a failure.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Round">The round.</param>
/// <param name="Error">What went wrong, in words.</param>
public sealed record ErrorReply(string ClientId, int Round, string Error) : ClientMessage(ClientId, Round)
{
    /// <inheritdoc />
    public override long ByteSize => Error.Length;
}
