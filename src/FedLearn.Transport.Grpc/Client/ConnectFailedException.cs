namespace FedLearn.Transport.Grpc.Client;

/// <summary>
/// The client could not reach the server: a connection attempt failed before the server welcomed the client. Attempts
/// are retried with backoff; <see cref="GrpcClientTransport.RunAsync"/> throws this once
/// <see cref="GrpcClientOptions.MaxConnectAttempts"/> attempts in a row have failed.
/// </summary>
public sealed class ConnectFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConnectFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public ConnectFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
