using FedLearn.Privacy.SecureAggregation;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.SecureAggregation;

/// <summary>
/// What the server sees of one client must look uniform. Chi-square test of the top 8 bits of 65 536 masked words
/// against 256 equally likely bins (255 degrees of freedom): the critical value at a false-alarm rate of 0.1% is 330.5
/// (Wilson–Hilferty). A uniform source fails one run in a thousand.
/// </summary>
public sealed class MaskUniformityTests
{
    private const double Critical = 330.5;

    [Test]
    public void The_mask_stream_of_a_fixed_seed_is_uniform_in_its_high_bits()
    {
        byte[] seed = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var words = new uint[65_536];
        MaskGenerator.Apply(seed, words, +1);

        Assert.That(ChiSquare(words), Is.LessThan(Critical));
    }

    [Test]
    public async Task A_masked_input_of_a_constant_delta_is_uniform_in_its_high_bits()
    {
        var harness = new SecAggHarness(3);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 3, ReconstructionThreshold = 2 });
        var setup = await server.SetUpAsync(1, harness.Ids, 65_536, harness, CancellationToken.None);
        float[] delta = Enumerable.Repeat(0.25f, 65_536).ToArray();

        var payload = (MaskedUpdatePayload)harness.Clients["c000"].Protect("c000", 1, delta, 100, 1);

        // The same input unmasked sits in one bin: the test can tell non-uniform words apart.
        var plain = new uint[65_536];
        using (var rounding = new MaskGenerator(new byte[32]))
        {
            FixedPointQuantizer.Quantize(delta, 0.01, 8.0, 1L << 22, rounding, plain);
        }

        Assert.That(setup.Participants, Has.Count.EqualTo(3));
        Assert.That(ChiSquare(payload.Values.AsSpan(0, 65_536)), Is.LessThan(Critical));
        Assert.That(ChiSquare(plain), Is.GreaterThan(Critical));
    }

    private static double ChiSquare(ReadOnlySpan<uint> words)
    {
        var counts = new int[256];
        foreach (uint word in words)
        {
            counts[word >> 24]++;
        }

        double expected = words.Length / 256.0;
        return counts.Sum(c => (c - expected) * (c - expected) / expected);
    }
}
