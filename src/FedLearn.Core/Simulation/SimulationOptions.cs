using System.ComponentModel.DataAnnotations;

namespace FedLearn.Simulation;

/// <summary>Settings of a <see cref="FederatedSimulation"/>.</summary>
public sealed class SimulationOptions
{
    /// <summary>Number of simulated clients.</summary>
    /// <value>Default 10.</value>
    [Range(1, 10_000_000)]
    public int ClientCount { get; set; } = 10;

    /// <summary>Most clients training at once.</summary>
    /// <value>Default: the number of processors.</value>
    [Range(1, 100_000)]
    public int MaxParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Prefix of the client ids; ids are the prefix plus a zero-padded index (<c>client-0007</c>).</summary>
    /// <value>Default <c>client-</c>.</value>
    [Required]
    [MinLength(1)]
    public string ClientIdPrefix { get; set; } = "client-";
}
