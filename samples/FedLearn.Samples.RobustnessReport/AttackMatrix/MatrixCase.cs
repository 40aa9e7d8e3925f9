using FedLearn.Robust.Specs;

namespace FedLearn.Samples.RobustnessReport.AttackMatrix;

/// <summary>One cell of the matrix: the data split, the attackers, and the defence.</summary>
/// <param name="Partition">The partition spec, for example <c>dirichlet:1</c>.</param>
/// <param name="Byzantine">The Byzantine setting (fraction 0 for a clean run).</param>
/// <param name="Aggregator">The aggregator spec with <c>{f}</c> filled in.</param>
/// <param name="PreAggregator">The pre-aggregator spec with <c>{f}</c> filled in, or null.</param>
/// <param name="Screening">Whether the default <c>UpdateScreener</c> flags and excludes before aggregation.</param>
internal sealed record MatrixCase(string Partition, ByzantineSpec Byzantine, string Aggregator, string? PreAggregator, bool Screening)
{
    public string Defence => (PreAggregator is null ? Aggregator : $"{PreAggregator} → {Aggregator}") + (Screening ? " + screening" : string.Empty);
}
