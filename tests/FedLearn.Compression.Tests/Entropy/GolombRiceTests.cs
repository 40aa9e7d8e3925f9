using FedLearn.Compression.Entropy;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Entropy;

public sealed class GolombRiceTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Any_ascending_positions_round_trip_at_any_parameter(int seed, byte densityByte, byte parameterByte)
    {
        int n = 1 + (int)((uint)seed % 5000);
        var random = new DeterministicRandom((ulong)seed);
        double density = (densityByte + 1) / 256.0;
        int[] indices = Enumerable.Range(0, n).Where(_ => random.NextDouble() < density).ToArray();
        int r = parameterByte % (GolombRice.MaxParameter + 1);
        byte[] buffer = new byte[(GolombRice.Cost(indices, r) + 7) / 8];
        int length = GolombRice.Encode(indices, r, buffer);
        int[] decoded = new int[indices.Length];
        GolombRice.Decode(buffer.AsSpan(0, length), r, n, decoded);
        return (length == buffer.Length && decoded.SequenceEqual(indices)).Label($"n={n} k={indices.Length} r={r}");
    }

    [Test]
    public void Encoding_into_a_larger_buffer_gives_the_same_bytes_whatever_it_held([Values(0, 1, 3, 9)] int r)
    {
        var random = new DeterministicRandom(11);
        int[] indices = Enumerable.Range(0, 50_000).Where(_ => random.NextDouble() < 0.05).ToArray();
        indices = [.. indices, 50_000 + (1 << 12), 50_001 + (1 << 20)];
        byte[] exact = new byte[(GolombRice.Cost(indices, r) + 7) / 8];
        Assert.That(GolombRice.Encode(indices, r, exact), Is.EqualTo(exact.Length));
        byte[] larger = Enumerable.Repeat((byte)0xA5, exact.Length + 100).ToArray();
        Assert.That(GolombRice.Encode(indices, r, larger), Is.EqualTo(exact.Length));
        Assert.That(larger.Take(exact.Length), Is.EqualTo(exact));
        int[] decoded = new int[indices.Length];
        GolombRice.Decode(exact, r, indices[^1] + 1, decoded);
        Assert.That(decoded, Is.EqualTo(indices));
    }

    [TestCase(0.001)]
    [TestCase(0.01)]
    [TestCase(0.1)]
    public void Random_positions_cost_within_three_percent_of_the_binary_entropy(double density)
    {
        const int n = 2_000_000;
        var random = new DeterministicRandom(5);
        int[] indices = Enumerable.Range(0, n).Where(_ => random.NextDouble() < density).ToArray();
        GolombRice.ChooseParameter(indices, out long bits);
        double entropyBits = n * BinaryEntropy((double)indices.Length / n);
        Assert.That(bits / entropyBits, Is.LessThan(1.03).And.GreaterThan(0.99));
    }

    [Test]
    public void A_position_beyond_the_element_count_is_rejected()
    {
        int[] indices = [3, 90];
        byte[] buffer = new byte[(GolombRice.Cost(indices, 2) + 7) / 8];
        GolombRice.Encode(indices, 2, buffer);
        var ex = Assert.Throws<FedLearnFormatException>(() => GolombRice.Decode(buffer, 2, 50, new int[2]));
        Assert.That(ex!.Message, Does.Contain("index section"));
    }

    [Test]
    public void A_unary_run_longer_than_the_element_count_allows_is_rejected_inside_a_window()
    {
        // Twenty zero bits, then a one: quotient 20 where only 10 positions exist (r = 0).
        byte[] source = new byte[16];
        source[2] = 0x10;
        var ex = Assert.Throws<FedLearnFormatException>(() => GolombRice.Decode(source, 0, 10, new int[1]));
        Assert.That(ex!.Message, Does.Contain("unary run longer than the 10"));
    }

    [Test]
    public void A_count_the_section_cannot_hold_is_rejected_before_decoding()
    {
        var ex = Assert.Throws<FedLearnFormatException>(() => GolombRice.Decode(new byte[2], 3, 1_000_000, new int[100]));
        Assert.That(ex!.Message, Does.Contain("too few for 100 positions"));
    }

    private static double BinaryEntropy(double p) => -((p * Math.Log2(p)) + ((1 - p) * Math.Log2(1 - p)));
}
