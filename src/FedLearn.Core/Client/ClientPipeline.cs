namespace FedLearn.Client;

/// <summary>What a client does to its update after training: privatize, then compress. Both optional.</summary>
public sealed record ClientPipeline
{
    /// <summary>An empty pipeline: the dense delta is sent as is.</summary>
    public static ClientPipeline Dense { get; } = new();

    /// <summary>Privatizes the delta (clip and noise); <c>null</c> for none.</summary>
    public IPrivacyEngine? PrivacyEngine { get; init; }

    /// <summary>Encodes the delta; <c>null</c> sends it dense.</summary>
    public ICompressor? Compressor { get; init; }

    /// <summary>
    /// The client side of secure aggregation: protects the privatized delta and answers the protocol's stages;
    /// <c>null</c> for plain updates. When set, <see cref="Compressor"/> must be <c>null</c> (masks and ciphertexts need the
    /// protocol's own dense fixed-point encoding).
    /// </summary>
    public SecureAggregation.ISecureAggregationClient? SecureAggregation { get; init; }
}
