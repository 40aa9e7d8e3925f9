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
    public Property Any_ascending_positions_round_trip_in_no_more_bytes_than_any_coding(int seed, byte densityByte, bool clustered)
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
        long blockBits = BlockRice.Cost(indices, out _);
        long bitmapBytes = (n + 7) / 8;
        bool smallest = plan.Length == 1 + Math.Min(bitmapBytes, Math.Min((gapBits + 7) / 8, (blockBits + 7) / 8));
        return (length == plan.Length && smallest && decoded.SequenceEqual(indices))
            .Label($"n={n} k={indices.Length} {plan} gap bits {gapBits} block bits {blockBits}");
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
    public void Clustered_positions_are_sent_with_a_rice_parameter_per_block_in_far_fewer_bytes()
    {
        // Like a model update: one small layer where half the values are kept, a large one where 0.05% are.
        const int n = 400_000;
        var random = new DeterministicRandom(6);
        int[] indices =
        [
            .. Enumerable.Range(0, 4_000).Where(_ => random.NextDouble() < 0.5),
            .. Enumerable.Range(4_000, n - 4_000).Where(_ => random.NextDouble() < 0.0005),
        ];
        IndexSectionPlan plan = IndexSection.Plan(indices, n);
        GolombRice.ChooseParameter(indices, out long singleBits);

        Assert.That(plan.Coding, Is.EqualTo(IndexCoding.BlockRiceGaps));
        Assert.That(plan.Length, Is.EqualTo(1 + ((BlockRice.Cost(indices, out int first) + 7) / 8)));
        Assert.That(plan.RiceParameter, Is.EqualTo(first).And.EqualTo(0), "the dense layer comes first and codes best with parameter 0");
        Assert.That(plan.Length * 8.0 / indices.Length, Is.LessThan(0.75 * singleBits / indices.Length), "blocks save at least a quarter of the bits of one parameter");
        Assert.That(RoundTrip(indices, n, plan, out _), Is.EqualTo(indices));
    }

    [Test]
    public void Positions_spread_at_random_keep_one_parameter()
    {
        const int n = 1_000_000;
        int[] indices = RandomPositions(n, 0.01, seed: 7);
        GolombRice.ChooseParameter(indices, out long singleBits);
        long blockBits = BlockRice.Cost(indices, out _);

        Assert.That(IndexSection.Plan(indices, n).Coding, Is.EqualTo(IndexCoding.RiceGaps));
        Assert.That(blockBits, Is.GreaterThan(singleBits), "per-block parameters cost more than they save on a geometric source");
        Assert.That((blockBits - singleBits) / (double)indices.Length, Is.LessThan(0.1), "but less than 0.1 bits per position more");
    }

    [Test]
    public void Block_coded_sections_are_refused_in_a_version_two_payload()
    {
        byte[] section = Encode([0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765, 10946], 20_000);
        Assert.That(section[0], Is.EqualTo((byte)IndexCoding.BlockRiceGaps), "Fibonacci gaps grow, so blocks pay");
        var ex = Assert.Throws<FedLearnFormatException>(() => IndexSection.Decode(section, 0, 20_000, new int[21], allowBlocks: false));
        Assert.That(ex!.Message, Does.Contain("coding byte 2").And.Contain("version 2 does not have"));
    }

    [Test]
    public void Bad_block_codes_are_rejected_naming_what_is_wrong()
    {
        int[] indices = [.. Enumerable.Range(0, 16), .. Enumerable.Range(1, 16).Select(i => 16 + (i * 4096))];
        byte[] section = Encode(indices, 100_000);
        Assert.That(section[0], Is.EqualTo((byte)IndexCoding.BlockRiceGaps));

        AssertRejected(section, 31, 100_000, new int[32], "first block's Rice parameter is 31");
        AssertRejected(section, 0, 100_000, new int[33], "ends early");
        AssertRejected([.. section, 0], 0, 100_000, new int[32], "content ends after");
        AssertRejected(section, 0, 60_000, new int[32], "beyond the 60000 elements");
        AssertRejected([(byte)IndexCoding.BlockRiceGaps, 0x01], 0, 100_000, new int[9], "too few for 9 positions");

        // Sixteen one-bit codes at parameter 0, then a change of parameter coded as 59 zeros and a one: −30, below 0.
        byte[] negative = new byte[12];
        negative[0] = (byte)IndexCoding.BlockRiceGaps;
        negative[1] = 0xFF;
        negative[2] = 0xFF;
        negative[3 + (59 / 8)] |= (byte)(1 << (59 % 8));
        AssertRejected(negative, 0, 100_000, new int[17], "changes the Rice parameter from 0 to -30");
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
        AssertRejected([7, .. bitmap[1..]], 0, 12, new int[10], "coding byte 7; this decoder knows 0 (Rice-coded gaps), 1 (bitmap) and 2");
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

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Block_coding_round_trips_in_exactly_the_bytes_its_cost_says(int seed, byte densityByte, byte layers)
    {
        // Runs of different densities, so the per-block parameters change up and down.
        var random = new DeterministicRandom((ulong)seed);
        int n = 1 + (int)((uint)seed % 50_000);
        var indices = new List<int>();
        int runs = 1 + (layers % 6);
        for (int run = 0; run < runs; run++)
        {
            int start = run * n / runs, end = (run + 1) * n / runs;
            double density = Math.Pow((densityByte + 1) / 256.0, 1 + random.NextInt(4));
            indices.AddRange(Enumerable.Range(start, end - start).Where(_ => random.NextDouble() < density));
        }

        int[] kept = [.. indices];
        long bits = BlockRice.Cost(kept, out int first);
        byte[] section = Enumerable.Repeat((byte)0x5A, (int)((bits + 7) / 8)).ToArray();
        int length = BlockRice.Encode(kept, section);
        int[] decoded = new int[kept.Length];
        BlockRice.Decode(section.AsSpan(0, length), first, n, decoded);
        return (length == section.Length && decoded.SequenceEqual(kept)).Label($"n={n} k={kept.Length} bits={bits} length={length}");
    }

    private static void AssertRejected(byte[] section, int rice, int n, int[] destination, string expected)
    {
        var ex = Assert.Throws<FedLearnFormatException>(() => IndexSection.Decode(section, rice, n, destination));
        Assert.That(ex!.Message, Does.Contain(expected));
    }
}
