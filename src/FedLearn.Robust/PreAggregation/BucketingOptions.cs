using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.PreAggregation;

/// <summary>Settings of <see cref="BucketingPreAggregator"/>.</summary>
/// <remarks>Karimireddy, He and Jaggi 2022, "Byzantine-Robust Learning on Heterogeneous Datasets via Bucketing".</remarks>
public sealed class BucketingOptions
{
    /// <summary>The bucket size s: updates are shuffled and averaged s at a time (the last bucket may be smaller).</summary>
    /// <value>2.</value>
    [Range(1, int.MaxValue)]
    public int BucketSize { get; set; } = 2;

    /// <summary>The seed of the shuffles; call t of an instance uses the stream derived from (seed, t).</summary>
    /// <value>0.</value>
    public ulong Seed { get; set; }
}
