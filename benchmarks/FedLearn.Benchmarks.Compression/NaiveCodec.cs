namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// The straightforward implementation a first version would ship, kept as the benchmark baseline: top-k by sorting
/// every magnitude (Array.Sort), per-element scalar 8-bit min/max quantization, raw 32-bit indices.
/// </summary>
internal static class NaiveCodec
{
    public static byte[] TopKQuantize8(float[] x, int k)
    {
        float[] magnitudes = new float[x.Length];
        int[] order = new int[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            magnitudes[i] = -Math.Abs(x[i]);
            order[i] = i;
        }

        Array.Sort(magnitudes, order);
        int[] kept = order[..k];
        Array.Sort(kept);
        float[] values = new float[k];
        for (int j = 0; j < k; j++)
        {
            values[j] = x[kept[j]];
        }

        byte[] codes = Quantize8(values, out float min, out float max);
        byte[] payload = new byte[8 + (4 * k) + k];
        BitConverter.TryWriteBytes(payload.AsSpan(0), min);
        BitConverter.TryWriteBytes(payload.AsSpan(4), max);
        Buffer.BlockCopy(kept, 0, payload, 8, 4 * k);
        codes.CopyTo(payload, 8 + (4 * k));
        return payload;
    }

    public static byte[] Quantize8(float[] x, out float min, out float max)
    {
        min = float.MaxValue;
        max = float.MinValue;
        foreach (float v in x)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        float scale = max > min ? 255f / (max - min) : 0;
        byte[] codes = new byte[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            codes[i] = (byte)MathF.Round((x[i] - min) * scale);
        }

        return codes;
    }

    public static void Dequantize8(byte[] codes, float min, float max, float[] destination)
    {
        float step = (max - min) / 255f;
        for (int i = 0; i < codes.Length; i++)
        {
            destination[i] = min + (codes[i] * step);
        }
    }

    /// <summary>
    /// Error feedback around <see cref="TopKQuantize8"/>, written as plainly: add the residual, encode, and keep
    /// what the decoder will not see (the dropped values and each kept value's quantization error).
    /// </summary>
    public static byte[] ErrorFeedbackTopKQuantize8(float[] x, float[] residual, int k)
    {
        float[] accumulated = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            accumulated[i] = x[i] + residual[i];
        }

        byte[] payload = TopKQuantize8(accumulated, k);
        float min = BitConverter.ToSingle(payload, 0);
        float max = BitConverter.ToSingle(payload, 4);
        float step = (max - min) / 255f;
        Array.Copy(accumulated, residual, x.Length);
        for (int j = 0; j < k; j++)
        {
            int index = BitConverter.ToInt32(payload, 8 + (4 * j));
            residual[index] = accumulated[index] - (min + (payload[8 + (4 * k) + j] * step));
        }

        return payload;
    }

    /// <summary>Decodes a <see cref="TopKQuantize8"/> payload of <paramref name="k"/> kept values into <paramref name="destination"/>.</summary>
    public static void Decode(byte[] payload, int k, float[] destination)
    {
        float min = BitConverter.ToSingle(payload, 0);
        float max = BitConverter.ToSingle(payload, 4);
        float[] values = new float[k];
        Dequantize8(payload[(8 + (4 * k))..], min, max, values);
        Array.Clear(destination);
        for (int j = 0; j < k; j++)
        {
            destination[BitConverter.ToInt32(payload, 8 + (4 * j))] = values[j];
        }
    }
}
