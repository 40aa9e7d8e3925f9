using FedLearn.Server;

namespace FedLearn.SecureAggregation;

/// <summary>The outcome of <see cref="ISecureAggregationProtocol.AggregateAsync"/>.</summary>
public sealed record SecureAggregationResult
{
    /// <summary>True when the destination holds the mean delta.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Why the aggregation failed (for example too few shares to recover a dropped client); <c>null</c> on success.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The clients whose updates are in the mean.</summary>
    public IReadOnlyList<string> Aggregated { get; init; } = [];

    /// <summary>Clients that failed a stage after training, with the reason.</summary>
    public IReadOnlyList<ClientFailure> Failures { get; init; } = [];

    /// <summary>Bytes the stages after training sent to clients.</summary>
    public long BytesDown { get; init; }

    /// <summary>Bytes the stages after training received from clients.</summary>
    public long BytesUp { get; init; }
}
