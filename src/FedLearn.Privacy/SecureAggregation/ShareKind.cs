namespace FedLearn.Privacy.SecureAggregation;

/// <summary>Which of a client's two secrets a share belongs to.</summary>
public enum ShareKind
{
    /// <summary>The seed of the client's self mask; revealed for clients whose masked input arrived.</summary>
    SelfMaskSeed = 1,

    /// <summary>The client's masking private key; revealed for clients that dropped out after sharing their keys.</summary>
    MaskingKey = 2,
}
