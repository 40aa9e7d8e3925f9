using FedLearn.Server;

namespace FedLearn.SecureAggregation;

/// <summary>The outcome of <see cref="ISecureAggregationProtocol.SetUpAsync"/>.</summary>
public sealed record SecureAggregationSetup
{
    /// <summary>The clients that go on to training, in the round's order.</summary>
    public IReadOnlyList<string> Participants { get; init; } = [];

    /// <summary>Sampled clients that dropped out or were rejected during the set-up, with the reason.</summary>
    public IReadOnlyList<ClientFailure> Failures { get; init; } = [];

    /// <summary>Why the round cannot go on; <c>null</c> when it can.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Bytes the set-up stages sent to clients.</summary>
    public long BytesDown { get; init; }

    /// <summary>Bytes the set-up stages received from clients.</summary>
    public long BytesUp { get; init; }
}
