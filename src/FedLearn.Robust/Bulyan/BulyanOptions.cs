using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.Bulyan;

/// <summary>Settings of <see cref="BulyanAggregator"/>.</summary>
/// <remarks>El Mhamdi, Guerraoui and Rouault 2018, "The Hidden Vulnerability of Distributed Learning in Byzantium".</remarks>
public sealed class BulyanOptions
{
    /// <summary>The number f of Byzantine clients to tolerate; Bulyan needs n ≥ 4f + 3 updates.</summary>
    /// <value>0.</value>
    [Range(0, int.MaxValue)]
    public int ByzantineCount { get; set; }
}
