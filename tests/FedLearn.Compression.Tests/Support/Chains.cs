namespace FedLearn.Compression.Tests.Support;

/// <summary>Helpers shared by the codec tests.</summary>
public static class Chains
{
    public static CompressionContext Context(ulong seed = 42, ComponentState? state = null) =>
        new("client-1", 1, seed, state ?? new ComponentState());

    public static float[] RoundTrip(ICompressor compressor, float[] input, ulong seed = 42, ComponentState? state = null)
    {
        EncodedUpdatePayload payload = compressor.Compress(input, Context(seed, state));
        float[] output = new float[input.Length];
        compressor.Decompress(payload.Bytes.Span, output);
        return output;
    }

    public static float[] Gaussian(int length, ulong seed, double scale = 1)
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
