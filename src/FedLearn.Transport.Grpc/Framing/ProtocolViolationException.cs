using Grpc.Core;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>The peer broke the protocol (malformed, oversized or out-of-order frames); the stream ends with <see cref="Status"/>.</summary>
internal sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException(StatusCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public ProtocolViolationException()
        : this(StatusCode.InvalidArgument, "The peer broke the protocol.")
    {
    }

    public ProtocolViolationException(string message)
        : this(StatusCode.InvalidArgument, message)
    {
    }

    public ProtocolViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = StatusCode.InvalidArgument;
    }

    /// <summary>The gRPC status code the stream ends with.</summary>
    public StatusCode Code { get; }

    /// <summary>The status to end the call with.</summary>
    public Status Status => new(Code, Message);

    /// <summary>The exception to throw from a gRPC handler.</summary>
    public RpcException ToRpcException() => new(Status);
}
