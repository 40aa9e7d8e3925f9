using System.ComponentModel.DataAnnotations;

namespace FedLearn.Transport;

/// <summary>Settings of the <see cref="InMemoryTransport"/>.</summary>
public sealed class InMemoryTransportOptions
{
    /// <summary>Most exchanges (client trainings) running at once.</summary>
    /// <value>Default: the number of processors.</value>
    [Range(1, 100_000)]
    public int MaxParallelism { get; set; } = Environment.ProcessorCount;
}
