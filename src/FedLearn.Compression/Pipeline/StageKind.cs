namespace FedLearn.Compression.Pipeline;

/// <summary>The stages of a chain, in the only order they may appear.</summary>
internal enum StageKind
{
    ErrorFeedback = 0,
    TopK = 1,
    Quantize = 2,
    Entropy = 3,
}
