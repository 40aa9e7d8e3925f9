namespace FedLearn.Transport.Grpc.Framing;

/// <summary>A message received in full: the exchange it belongs to and the message (a ServerMessage or ClientMessage).</summary>
/// <param name="ExchangeId">The exchange id from the start frame.</param>
/// <param name="Round">The round from the start frame.</param>
/// <param name="Message">The message, or <see langword="null"/> when it was received only to be discarded.</param>
/// <param name="BodyLength">Bytes of the body as received.</param>
internal readonly record struct AssembledMessage(ulong ExchangeId, int Round, object? Message, long BodyLength);
