namespace FedLearn.Transport.Grpc.Client;

/// <summary>A connection attempt failed before the server welcomed the client; it is retried with backoff.</summary>
internal sealed class ConnectFailedException : Exception
{
    public ConnectFailedException()
    {
    }

    public ConnectFailedException(string message)
        : base(message)
    {
    }

    public ConnectFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
