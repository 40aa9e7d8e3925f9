namespace FedLearn.Transport.Grpc.Client;

/// <summary>How one connection of a client ended.</summary>
internal enum SessionEnd
{
    /// <summary>The client should stop: cancelled, or the server shut the federation down.</summary>
    Stop,

    /// <summary>The connection was established and then lost; reconnect.</summary>
    Lost,
}
