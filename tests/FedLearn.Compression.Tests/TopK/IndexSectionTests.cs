using FedLearn.Compression.Entropy;
using FedLearn.Compression.TopK;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.TopK;

public sealed class IndexSectionTests
{
    // Ten of twelve positions, the last one included: the gap code at parameter 0 and the bitmap both take 2 bytes.
    private static readonly int[] DenseTwelve = [0, 1, 2, 3, 5, 6, 8, 9, 10, 11];

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Any_ascending_positions_round_trip_in_no_more_bytes_than_either_coding(int seed, byte densityByte, bool clustered)
    {
        int n = (int)((uint)seed % 5000);
        var random = new DeterministicRandom((ulong)seed);
        double density = (densityByte + 1) / 256.0;

        // Clustered selections keep only the first part of the vector, where the gap code ends early.
        int limit = clustered ? random.NextInt(n + 1) : n;
        int[] indices = Enumerable.Range(0, limit).Where(_ => random.NextDouble() < density).ToArray();

        IndexSectionPlan plan = IndexSection.Plan(indices, n);
        int[] decoded = RoundTrip(indices, n, plan, out int length);
        GolombRice.ChooseParameter(indices, out long gapBits);
        long bitmapBytes = (n + 7) / 8;
        bool smallest = plan.Length == 1 + Math.Min(bitmapBytes, (gapBits + 7) / 8);
        return (length == plan.Length && smallest && decoded.SequenceEqual(indices))
            .Label($"n={n} k={indices.Length} {plan} gap bits {gapBits}");
    }

    [TestCase(0.001)]
    [TestCase(0.01)]
    [TestCase(0.1)]
    public void Sparse_positions_are_sent_as_rice_coded_gaps_well_under_the_bitmap(double density)
    {
        const int n = 200_000;
        int[] indices = RandomPositions(n, density, seed: 3);
        IndexSectionPlan plan = IndexSection.Plan(indices, n);

        Assert.That(plan.Coding, Is.EqualTo(IndexCoding.RiceGaps));
        Assert.That(plan.RiceParameter, Is.EqualTo(GolombRice.ChooseParameter(indices, out long bits)));
        Assert.That(plan.Length, Is.EqualTo(1 + ((bits + 7) / 8)));
        Assert.That(plan.Length, Is.LessThan(0.6 * (n / 8)), "at 10% or less the gaps cost under half of 1/ρ bits per position");
        Assert.That(RoundTrip(indices, n, plan, out _), Is.EqualTo(indices));
    }

    [TestCase(0.5)]
    [TestCase(0.9)]
    [TestCase(1.0)]
    public void Dense_positions_that_reach_the_end_are_sent_as_a_bitmap(double density)
    {
        const int n = 100_003;
        int[] indices = [.. RandomPositions(n - 1, density, seed: 4), n - 1];
        IndexSectionPlan plan = IndexSection.Plan(indices, n);

        Assert.That(plan.Coding, Is.EqualTo(IndexCoding.Bitmap));
        Assert.That(plan.RiceParameter, Is.Zero);
        Assert.That(plan.Length, Is.EqualTo(1 + ((n + 7) / 8)));
        Assert.That(RoundTrip(indices, n, plan, out _), Is.EqualTo(indices));
    }

    [Test]
    public void Dense_positions_that_stop_early_are_sent_as_gaps_because_the_gap_code_ends_with_them()
    {
        // Same density as a bitmap case, but nothing kept in the second half: a bitmap would spend n bits, the gap
        // code with parameter 0 spends one bit per position up to the last kept one.
        const int n = 100_000;
        int[] indices = RandomPositions(n / 2, 0.9, seed: 5);
        IndexSectionPlan plan = IndexSection.Plan(indices, n);

        Assert.That(plan.Coding, Is.EqualTo(IndexCoding.RiceGaps));
        Assert.That(plan.RiceParameter, Is.Zero);
        Assert.That(plan.Length, Is.EqualTo(1 + ((indices[^1] + 1 + 7) / 8)));
        Assert.That(RoundTrip(indices, n, plan, out _), Is.EqualTo(indices));
    }

    [Test]
    public void A_bitmap_with_more_or_fewer_bits_than_the_kept_count_is_rejected()
    {
        byte[] section = Encode(DenseTwelve, 12);
        Assert.That(section[0], Is.EqualTo((byte)IndexCoding.Bitmap));
        AssertRejected(section, 0, 12, new int[9], "sets 10 bits but the payload keeps 9 values");
        AssertRejected(section, 0, 12, new int[11], "sets 10 bits but the payload keeps 11 values");
    }

    [Test]
    public void A_bitmap_bit_beyond_the_element_count_is_rejected()
    {
        byte[] section = Encode(DenseTwelve, 12);
        section[^1] |= 0x80;
        AssertRejected(section, 0, 12, new int[11], "beyond element 12");
    }

    [Test]
    public void Bad_layouts_are_rejected_naming_what_is_wrong()
    {
        byte[] bitmap = Encode(DenseTwelve, 12);
        AssertRejected([], 0, 12, new int[10], "index section is empty");
        AssertRejected([7, .. bitmap[1..]], 0, 12, new int[10], "coding byte 7");
        AssertRejected(bitmap, 2, 12, new int[10], "Rice parameter is 2 but the index section is a bitmap");
        AssertRejected([.. bitmap, 0], 0, 12, new int[10], "need exactly 3");
        AssertRejected([(byte)IndexCoding.RiceGaps, 0xFF], 3, 1_000_000, new int[10], "too few for 10 positions");
        AssertRejected([(byte)IndexCoding.RiceGaps, 0xFF], 31, 1_000_000, new int[1], "at most 30");
    }

    private static int[] RandomPositions(int n, double density, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, n).Where(_ => random.NextDouble() < density).ToArray();
    }

    private static byte[] Encode(int[] indices, int n)
    {
        IndexSectionPlan plan = IndexSection.Plan(indices, n);
        byte[] section = new byte[plan.Length];
        IndexSection.Encode(indices, n, plan, section);
        return section;
    }

    private static int[] RoundTrip(int[] indices, int n, IndexSectionPlan plan, out int length)
    {
        // A dirty buffer: the encoder must not rely on zeroed memory (the pipeline writes into pooled arrays).
        byte[] section = Enumerable.Repeat((byte)0xA5, (int)plan.Length + 3).ToArray();
        length = IndexSection.Encode(indices, n, plan, section);
        int[] decoded = new int[indices.Length];
        IndexSection.Decode(section.AsSpan(0, length), plan.RiceParameter, n, decoded);
        return decoded;
    }

    private static void AssertRejected(byte[] section, int rice, int n, int[] destination, string expected)
    {
        var ex = Assert.Throws<FedLearnFormatException>(() => IndexSection.Decode(section, rice, n, destination));
        Assert.That(ex!.Message, Does.Contain(expected));
    }
}
