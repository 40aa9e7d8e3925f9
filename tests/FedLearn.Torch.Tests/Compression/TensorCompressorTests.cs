using FedLearn.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Compression;

public sealed class TensorCompressorTests
{
    private static readonly int[] Lengths = [1, 7, 100, 4097, 9000, 200_000];

    [TestCase("topk:0.01,q:8")]
    [TestCase("topk:0.01,q:8,entropy")]
    [TestCase("topk:0.1,q:4")]
    [TestCase("topk:0.05")]
    [TestCase("topk:37,q:8,entropy")]
    [TestCase("q:8")]
    [TestCase("q:3:chunk=100")]
    public void Payload_bytes_equal_the_span_encoder_on_inputs_without_ties(string chain)
    {
        ICompressor span = CompressionPipelineBuilder.Parse(chain).Build();
        var tensor = new TensorCompressor(span, TorchDevicePreference.Cpu);
        foreach (int n in Lengths)
        {
            float[] x = Gaussian(n, (ulong)n, 1e-3);
            byte[] expected = span.Compress(x, Context()).Bytes.ToArray();
            byte[] actual = tensor.Compress(x, Context()).Bytes.ToArray();
            Assert.That(actual, Is.EqualTo(expected), $"{chain}, n = {n}");
        }
    }

    [TestCase("ef,topk:0.01,q:8,entropy")]
    [TestCase("ef,topk:0.1,q:8")]
    [TestCase("ef,q:4")]
    public void Error_feedback_rounds_give_the_same_bytes_and_residual_as_the_span_encoder(string chain)
    {
        ICompressor span = CompressionPipelineBuilder.Parse(chain).Build();
        var tensor = new TensorCompressor(span, TorchDevicePreference.Cpu);
        var spanState = new ComponentState();
        var tensorState = new ComponentState();
        for (int round = 1; round <= 4; round++)
        {
            float[] x = Gaussian(50_000, (ulong)round, 1e-3);
            byte[] expected = span.Compress(x, Context(spanState)).Bytes.ToArray();
            using Tensor update = torch.tensor(x);
            byte[] actual = tensor.Compress(update, Context(tensorState)).Bytes.ToArray();
            Assert.That(actual, Is.EqualTo(expected), $"round {round}");
            Assert.That(Residual(tensorState), Is.EqualTo(Residual(spanState)), $"residual after round {round}");
        }
    }

    [Test]
    public void Error_feedback_conserves_mass_sent_plus_residual_equals_input_plus_previous_residual()
    {
        ICompressor span = CompressionPipelineBuilder.Parse("ef,topk:0.02,q:8,entropy").Build();
        var tensor = new TensorCompressor(span, TorchDevicePreference.Cpu);
        var state = new ComponentState();
        float[] previous = new float[20_000];
        for (int round = 1; round <= 3; round++)
        {
            float[] x = Gaussian(previous.Length, (ulong)(10 + round), 1e-2);
            EncodedUpdatePayload payload = tensor.Compress(x, Context(state));
            float[] sent = new float[x.Length];
            span.Decompress(payload.Bytes.Span, sent);
            float[] residual = Residual(state);
            for (int i = 0; i < x.Length; i++)
            {
                float input = x[i] + previous[i];
                Assert.That(sent[i] + residual[i], Is.EqualTo(input).Within(Math.Abs(input) * 1e-6f + 1e-12f), $"element {i}, round {round}");
            }

            previous = (float[])residual.Clone();
        }
    }

    [Test]
    public void The_error_feedback_residual_is_shared_with_the_span_encoder_so_a_client_can_switch_between_rounds()
    {
        ICompressor span = CompressionPipelineBuilder.Parse("ef,topk:0.01,q:8").Build();
        var tensor = new TensorCompressor(span, TorchDevicePreference.Cpu);
        var spanOnly = new ComponentState();
        var mixed = new ComponentState();
        float[] first = Gaussian(30_000, 1, 1e-3), second = Gaussian(30_000, 2, 1e-3);
        _ = span.Compress(first, Context(spanOnly));
        _ = span.Compress(first, Context(mixed));
        byte[] expected = span.Compress(second, Context(spanOnly)).Bytes.ToArray();
        byte[] actual = tensor.Compress(second, Context(mixed)).Bytes.ToArray();
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCase("topk:0.05,q:8:norm")]
    [TestCase("q:6:norm")]
    [TestCase("topk:0.05,sign")]
    [TestCase("sign:chunk=1000")]
    public void Norm_and_sign_keep_the_same_positions_and_decode_within_one_grid_step_of_the_span_encoder(string chain)
    {
        ICompressor span = CompressionPipelineBuilder.Parse(chain).Build();
        var tensor = new TensorCompressor(span, TorchDevicePreference.Cpu);
        float[] x = Gaussian(30_000, 5, 1e-3);
        byte[] expectedBytes = span.Compress(x, Context()).Bytes.ToArray();
        byte[] actualBytes = tensor.Compress(x, Context()).Bytes.ToArray();
        Assert.That(actualBytes, Has.Length.EqualTo(expectedBytes.Length));
        float[] expected = new float[x.Length], actual = new float[x.Length];
        span.Decompress(expectedBytes, expected);
        span.Decompress(actualBytes, actual);

        // One step of the coarsest grid here: the chunk norm over 2^(b-1) − 1 levels, or the sign scale itself
        // (the scales are sums and may differ in their last bits, which can move a value by at most one step).
        double step = chain.Contains("sign", StringComparison.Ordinal) ? 1e-6 : Math.Sqrt(x.Sum(v => (double)v * v)) / 31;
        for (int i = 0; i < x.Length; i++)
        {
            Assert.That(actual[i] == 0, Is.EqualTo(expected[i] == 0), $"position {i} kept by one encoder only");
            Assert.That(Math.Abs((double)actual[i] - expected[i]), Is.LessThanOrEqualTo(step), $"position {i}");
        }
    }

    [Test]
    public void With_tied_magnitudes_the_kept_magnitudes_are_those_of_the_span_encoder()
    {
        // Integers from −3 to 3: thousands of equal magnitudes at the threshold, where the encoders may choose differently.
        var random = new DeterministicRandom(3);
        float[] x = Enumerable.Range(0, 10_000).Select(_ => (float)(random.NextInt(7) - 3)).ToArray();
        ICompressor span = CompressionPipelineBuilder.Parse("topk:0.2").Build();
        var tensor = new TensorCompressor(span, TorchDevicePreference.Cpu);
        float[] expected = new float[x.Length], actual = new float[x.Length];
        span.Decompress(span.Compress(x, Context()).Bytes.Span, expected);
        span.Decompress(tensor.Compress(x, Context()).Bytes.Span, actual);

        int[] keptByTensor = Enumerable.Range(0, x.Length).Where(i => actual[i] != 0).ToArray();
        Assert.That(keptByTensor, Has.Length.EqualTo(2000));
        Assert.That(keptByTensor.Select(i => actual[i]), Is.EqualTo(keptByTensor.Select(i => x[i])), "kept values are the input's");
        Assert.That(keptByTensor.Select(i => Math.Abs(x[i])).Order(), Is.EqualTo(expected.Where(v => v != 0).Select(Math.Abs).Order()));
    }

    [Test]
    public void A_tensor_of_any_shape_is_read_in_row_major_order()
    {
        ICompressor span = CompressionPipelineBuilder.Parse("topk:0.1,q:8").Build();
        var tensor = new TensorCompressor(span, TorchDevicePreference.Cpu);
        float[] x = Gaussian(6 * 500, 8, 1);
        using Tensor matrix = torch.tensor(x).reshape(6, 500);
        Assert.That(tensor.Compress(matrix, Context()).Bytes.ToArray(), Is.EqualTo(span.Compress(x, Context()).Bytes.ToArray()));
    }

    [Test]
    public void Chains_with_stochastic_rounding_are_rejected_when_the_encoder_is_built()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new TensorCompressor(CompressionPipelineBuilder.Parse("topk:0.01,qsgd:4").Build()));
        Assert.That(ex!.Message, Does.Contain("deterministic rounding only").And.Contain("topk:0.01,qsgd:4"));
    }

    [Test]
    public void Non_finite_and_non_float32_updates_are_rejected_by_name()
    {
        var tensor = new TensorCompressor(CompressionPipelineBuilder.Parse("topk:0.5,q:8").Build(), TorchDevicePreference.Cpu);
        float[] x = [1, 2, float.NaN, 4];
        var nan = Assert.Throws<ArgumentException>(() => tensor.Compress(x, Context()));
        Assert.That(nan!.Message, Does.Contain("element 2 is NaN"));
        using Tensor doubles = torch.ones(4, ScalarType.Float64);
        var type = Assert.Throws<ArgumentException>(() => tensor.Compress(doubles, Context()));
        Assert.That(type!.Message, Does.Contain("float32").And.Contain("Float64"));
    }

    [Test]
    public void On_cuda_the_payload_equals_the_cpu_payload()
    {
        Assume.That(TorchRuntime.IsCudaAvailable, "no CUDA device on this machine");
        var tensor = new TensorCompressor(CompressionPipelineBuilder.Parse("ef,topk:0.01,q:8,entropy").Build());
        float[] x = Gaussian(100_000, 4, 1e-3);
        using Tensor onDevice = torch.tensor(x).cuda();
        byte[] cuda = tensor.Compress(onDevice, Context()).Bytes.ToArray();
        byte[] cpu = new TensorCompressor(CompressionPipelineBuilder.Parse("ef,topk:0.01,q:8,entropy").Build(), TorchDevicePreference.Cpu).Compress(x, Context()).Bytes.ToArray();
        Assert.That(cuda, Is.EqualTo(cpu));
    }

    private static CompressionContext Context(ComponentState? state = null) => new("client-1", 1, 42, state ?? new ComponentState());

    private static float[] Residual(ComponentState state) =>
        state.TryGet("fedlearn.compression.error-feedback.residual", out float[] residual) ? residual : throw new AssertionException("no residual was stored");

    private static float[] Gaussian(int length, ulong seed, double scale)
    {
        var random = new DeterministicRandom(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextGaussian() * scale);
        }

        return values;
    }
}
