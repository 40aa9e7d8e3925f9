using FedLearn.Compression.Tests.Support;
using FedLearn.Compression.TopK;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Pipeline;

public sealed class CompressionPipelineTests
{
    public static readonly string[] ChainsWithoutFeedback =
    [
        "none", "q:1", "q:4", "q:8", "q:16", "q:32", "q:8:stochastic", "q:6:norm", "qsgd:4", "qsgd:2", "sign",
        "topk:0.1", "topk:0.01", "topk:7", "topk:0.1,q:8", "topk:0.3,q:3:stochastic:chunk=16", "topk:0.05,sign",
        "topk:0.1,q:8,entropy", "topk:0.01,q:8,entropy", "topk:0.02,qsgd:5,entropy", "topk:0.1,entropy",
        "topk:0.1,q:12,entropy", "topk:0.7,q:4", "topk:0.9,q:8,entropy", "q:4,entropy", "q:8:chunk=33,entropy", "sign,entropy",
    ];

    [FsCheck.NUnit.Property(Arbitrary = [typeof(VectorArbitraries)], MaxTest = 40)]
    public Property Every_chain_decodes_within_its_bound(TestVector vector)
    {
        foreach (string chain in ChainsWithoutFeedback)
        {
            ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
            float[] decoded = Chains.RoundTrip(compressor, vector.Values, vector.Seed);
            string? problem = ChainReference.Check(compressor, vector.Values, decoded);
            if (problem is not null)
            {
                return false.Label($"{chain}: {problem}; {vector}");
            }
        }

        return true.ToProperty();
    }

    [Test]
    public void Every_length_from_zero_to_three_hundred_round_trips_in_every_chain()
    {
        foreach (string chain in ChainsWithoutFeedback)
        {
            ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
            for (int n = 0; n <= 300; n++)
            {
                float[] x = Chains.Gaussian(n, (ulong)n);
                float[] y = Chains.RoundTrip(compressor, x);
                Assert.That(ChainReference.Check(compressor, x, y), Is.Null, $"{chain} n={n}");
            }
        }
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void Non_finite_input_is_rejected_naming_the_element(float bad)
    {
        ICompressor compressor = CompressionPipelineBuilder.Parse("ef,topk:0.1,q:8,entropy").Build();
        float[] x = Chains.Gaussian(100, 1);
        x[37] = bad;
        var state = new ComponentState();
        var ex = Assert.Throws<ArgumentException>(() => compressor.Compress(x, Chains.Context(state: state)));
        Assert.That(ex!.Message, Does.Contain("element 37").And.Contain("finite"));
        Assert.That(state.Keys, Is.Empty, "a rejected update must not touch the residual");
    }

    [Test]
    public void The_same_seed_gives_the_same_bytes()
    {
        ICompressor compressor = CompressionPipelineBuilder.Parse("ef,topk:0.05,qsgd:4,entropy").Build();
        float[] x = Chains.Gaussian(200_000, 4);
        byte[] first = compressor.Compress(x, Chains.Context(9)).Bytes.ToArray();
        byte[] second = compressor.Compress(x, Chains.Context(9)).Bytes.ToArray();
        byte[] other = compressor.Compress(x, Chains.Context(10)).Bytes.ToArray();
        Assert.That(second, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void A_decoder_with_error_feedback_reads_payloads_of_the_same_chain_without_it()
    {
        float[] x = Chains.Gaussian(5000, 5);
        EncodedUpdatePayload payload = CompressionPipelineBuilder.Parse("topk:0.01,q:8,entropy").Build().Compress(x, Chains.Context());
        float[] y = new float[x.Length];
        CompressionPipelineBuilder.Parse("ef,topk:0.01,q:8,entropy").Build().Decompress(payload.Bytes.Span, y);
        Assert.That(y.Count(v => v != 0), Is.EqualTo(50));
    }

    [Test]
    public void The_hybrid_chain_reaches_ninety_five_percent_of_the_entropy_bound_on_a_gaussian_vector()
    {
        const int n = 1_000_000;
        float[] x = Chains.Gaussian(n, 123);
        ICompressor compressor = CompressionPipelineBuilder.Parse("topk:0.01,q:8,entropy").Build();
        EncodedUpdatePayload payload = compressor.Compress(x, Chains.Context());
        double ratio = 4.0 * n / payload.ByteSize;
        double bound = 32 / (0.01 * (8 + Math.Log2(100) + 1.44));
        Assert.That(ratio, Is.GreaterThanOrEqualTo(0.95 * bound), $"{payload.ByteSize} bytes");
        Assert.That(payload.ElementCount, Is.EqualTo(n));
    }

    [TestCase("ef,topk:0.1,q:8", 0.1)]
    [TestCase("topk:0.1,q:8", 0.1)]
    [TestCase("topk:0.01,q:8", 0.01)]
    public void Top_k_without_entropy_coding_reaches_ninety_five_percent_of_the_bound_on_a_gaussian_vector(string chain, double density)
    {
        // The bound counts b bits per value and log2(1/ρ) + 1.44 per index; raw 20-bit indices would reach only 45-65% of it.
        const int n = 1_000_000;
        float[] x = Chains.Gaussian(n, 321);
        EncodedUpdatePayload payload = CompressionPipelineBuilder.Parse(chain).Build().Compress(x, Chains.Context(state: new ComponentState()));
        double ratio = 4.0 * n / payload.ByteSize;
        double bound = 32 / (density * (8 + Math.Log2(1 / density) + 1.44));
        Assert.That(ratio, Is.GreaterThanOrEqualTo(0.95 * bound), $"{payload.ByteSize} bytes");
    }

    [TestCase("topk:0.01,q:8", (byte)IndexCoding.RiceGaps)]
    [TestCase("topk:0.1,q:8,entropy", (byte)IndexCoding.RiceGaps)]
    [TestCase("topk:1.0,q:8", (byte)IndexCoding.Bitmap)]
    public void The_index_section_starts_with_the_coding_the_encoder_chose(string chain, byte expected)
    {
        float[] x = Chains.Gaussian(10_000, 8);
        ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
        byte[] payload = compressor.Compress(x, Chains.Context()).Bytes.ToArray();

        // Header (20), parameter block (12), index section length (4), then the coding byte.
        Assert.That(payload[36], Is.EqualTo(expected));
        Assert.That(ChainReference.Check(compressor, x, Chains.RoundTrip(compressor, x)), Is.Null);
    }

    [Test]
    public void An_update_above_the_maximum_is_rejected_when_compressing()
    {
        ICompressor compressor = new CompressionPipelineBuilder { MaxElementCount = 10 }.TopK(0.5).Build();
        var ex = Assert.Throws<ArgumentException>(() => compressor.Compress(new float[11], Chains.Context()));
        Assert.That(ex!.Message, Does.Contain("more than the configured maximum of 10"));
    }
}
