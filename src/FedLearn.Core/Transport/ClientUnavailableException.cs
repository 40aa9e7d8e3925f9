namespace FedLearn.Transport;

/// <summary>Thrown by a transport when a client is not connected or disconnects during an exchange.</summary>
public sealed class ClientUnavailableException : Exception
{
    /// <summary>Creates the exception for a client.</summary>
    public ClientUnavailableException(string clientId, string message)
        : base(message)
    {
        ClientId = clientId;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ClientUnavailableException()
        : base("The client is not available.")
    {
        ClientId = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ClientUnavailableException(string message)
        : base(message)
    {
        ClientId = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ClientUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        ClientId = string.Empty;
    }

    /// <summary>The client that is unavailable.</summary>
    public string ClientId { get; }
}
