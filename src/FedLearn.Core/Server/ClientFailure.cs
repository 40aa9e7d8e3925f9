namespace FedLearn.Server;

/// <summary>Why a sampled client contributed nothing to a stage of a round.</summary>
public enum ClientFailureKind
{
    /// <summary>It did not answer before the stage closed.</summary>
    Timeout,

    /// <summary>It was not connected or disconnected during the exchange.</summary>
    Unavailable,

    /// <summary>It reported an error, or the exchange threw.</summary>
    Error,

    /// <summary>It answered, but the answer was invalid (wrong round, wrong id, corrupt payload, non-finite values, ...).</summary>
    Rejected,
}

/// <summary>A sampled client that contributed nothing, and why.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">Details in words.</param>
public sealed record ClientFailure(string ClientId, ClientFailureKind Kind, string Message);
