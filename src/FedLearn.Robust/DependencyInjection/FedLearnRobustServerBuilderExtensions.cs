using FedLearn;
using FedLearn.Robust.Screening;
using FedLearn.Robust.Specs;
using FedLearn.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers FedLearn.Robust's components on a server built with <c>AddFedLearnServer</c>.</summary>
public static class FedLearnRobustServerBuilderExtensions
{
    /// <summary>
    /// Aggregates with the rule named by <paramref name="aggregator"/> (for example <c>multikrum:2</c>), optionally
    /// behind the pre-aggregator named by <paramref name="preAggregator"/> (for example <c>nnm:2</c>). The specs are
    /// parsed now, so a bad one fails at configuration.
    /// </summary>
    /// <param name="builder">The server builder.</param>
    /// <param name="aggregator">An aggregator spec; see <see cref="RobustSpecs.AggregatorSyntax"/>.</param>
    /// <param name="preAggregator">A pre-aggregator spec, or null; see <see cref="RobustSpecs.PreAggregatorSyntax"/>.</param>
    /// <param name="seed">The seed of bucketing's shuffles.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="aggregator"/> is null.</exception>
    /// <exception cref="FormatException">A spec is invalid; the message quotes it.</exception>
    public static FedLearnServerBuilder UseRobustAggregator(this FedLearnServerBuilder builder, string aggregator, string? preAggregator = null, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IAggregator rule = RobustSpecs.ParseAggregator(aggregator);
        if (preAggregator is not null)
        {
            rule = RobustSpecs.ParsePreAggregator(preAggregator, rule, seed);
        }

        return builder.UseAggregator(rule);
    }

    /// <summary>
    /// Screens every round's updates with an <see cref="UpdateScreener"/> and, unless <paramref name="reputation"/> is
    /// null, keeps a <see cref="ClientReputation"/> that the server uses as its <see cref="IClientEligibility"/>, so
    /// clients flagged too often are no longer sampled. Options are validated now.
    /// </summary>
    /// <param name="builder">The server builder.</param>
    /// <param name="options">Screening thresholds; null uses the defaults.</param>
    /// <param name="reputation">Reputation settings; null turns the reputation off.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public static FedLearnServerBuilder UseUpdateScreening(this FedLearnServerBuilder builder, UpdateScreenerOptions? options = null, ClientReputationOptions? reputation = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ClientReputation? history = reputation is null ? null : new ClientReputation(reputation);
        builder.UseScreener(new UpdateScreener(options ?? new UpdateScreenerOptions(), history));
        if (history is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(history));
            builder.Services.Replace(ServiceDescriptor.Singleton<IClientEligibility>(history));
        }

        return builder;
    }
}
