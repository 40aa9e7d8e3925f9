using FedLearn.Aggregation;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Privacy.Mechanisms;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.ClientLevel;

/// <summary>
/// A missing aggregation context is a caller's bug: each DP aggregator refuses it before it aggregates, adds noise or
/// steps its accountant, even when the inner rule (FedAvg) would ignore the context and so would not notice.
/// </summary>
public sealed class NullContextTests
{
    private static IEnumerable<TestCaseData> Aggregators()
    {
        var fixedOptions = new FixedClippingOptions { ClippingNorm = 1.0, NoiseMultiplier = 1.0 };
        yield return new TestCaseData(new ServerSideFixedClippingAggregator(new FederatedAveraging(), fixedOptions, new SeededGaussianNoise(1)))
            .SetArgDisplayNames("server-side fixed clipping");
        yield return new TestCaseData(new ClientSideFixedClippingAggregator(new FederatedAveraging(), fixedOptions, new SeededGaussianNoise(1)))
            .SetArgDisplayNames("client-side fixed clipping");
        yield return new TestCaseData(new AdaptiveClippingAggregator(new FederatedAveraging(), new AdaptiveClippingOptions { NoiseMultiplier = 1.0 }, new SeededGaussianNoise(1)))
            .SetArgDisplayNames("adaptive clipping");
    }

    [TestCaseSource(nameof(Aggregators))]
    public void A_null_context_is_refused_before_any_noise_or_accounting(IAggregator aggregator)
    {
        float[] destination = [7f, 7f];

        Assert.That(
            () => aggregator.Aggregate([new("a", new float[] { 0.3f, 0.4f }, 1)], destination, null!),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentNullException.ParamName)).EqualTo("context"));
        Assert.That(destination, Is.EqualTo(new[] { 7f, 7f }).AsCollection, "nothing was written");
        Assert.That(((IPrivacyReporter)aggregator).Spent(1e-5).Epsilon, Is.Zero, "no privacy step was taken");
    }
}
