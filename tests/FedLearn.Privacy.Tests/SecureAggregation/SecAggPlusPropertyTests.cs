using FedLearn.Privacy.SecureAggregation;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.SecureAggregation;

public sealed class SecAggPlusPropertyTests
{
    /// <summary>
    /// For random n, neighbourhood size, threshold and dropout pattern (at most NumShares − threshold clients drop, at
    /// random stages, so every neighbourhood keeps the threshold), the masks cancel exactly: the unmasked mean equals the
    /// plain fixed-point mean of the clients whose input arrived, bit for bit.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 25)]
    public bool Masks_cancel_exactly_for_any_dropout_pattern_the_threshold_tolerates(byte clientsSeed, byte sharesSeed, byte thresholdSeed, int dropSeed)
    {
        int n = 3 + (clientsSeed % 22);
        int maxShares = n % 2 == 1 ? n : n - 1;
        int shares = 3 + (2 * (sharesSeed % (((maxShares - 3) / 2) + 1)));
        int minThreshold = (shares / 2) + 1;
        int threshold = minThreshold + (thresholdSeed % (shares - minThreshold + 1));
        var random = new Random(dropSeed);
        int drops = random.Next(0, shares - threshold + 1);
        var harness = new SecAggHarness(n);
        foreach (int i in Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(drops))
        {
            harness.DropBefore(harness.Ids[i], random.Next(1, 6));
        }

        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = shares, ReconstructionThreshold = threshold });
        (float[][] deltas, long[] examples) = SecAggPlusProtocolTests.Inputs(n, 1 + random.Next(50), dropSeed);

        RoundOutcome outcome = harness.RunAsync(server, 1 + random.Next(100), deltas, examples).GetAwaiter().GetResult();

        return outcome.Result is { Succeeded: true } && outcome.Mean!.SequenceEqual(outcome.PlainMean!);
    }

    /// <summary>The unmasked mean is the example-weighted mean within quantization error (2c/q per client, divided by the weight share).</summary>
    [FsCheck.NUnit.Property(MaxTest = 10)]
    public bool The_secure_mean_is_the_weighted_mean_within_quantization_error(int seed)
    {
        var harness = new SecAggHarness(8);
        var options = new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 };
        var server = new SecAggPlusServer(options);
        (float[][] deltas, long[] examples) = SecAggPlusProtocolTests.Inputs(8, 100, seed);

        RoundOutcome outcome = harness.RunAsync(server, 1, deltas, examples).GetAwaiter().GetResult();

        double step = 2 * options.ClippingRange / options.QuantizationRange;
        double bound = 8 * step * options.MaxWeight / examples.Sum();
        return SecAggPlusProtocolTests.MaxError(outcome.Mean!, SecAggPlusProtocolTests.WeightedMean(deltas, examples, [.. Enumerable.Range(0, 8)])) <= bound;
    }
}
