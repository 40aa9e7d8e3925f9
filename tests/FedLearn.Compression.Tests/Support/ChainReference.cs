using FedLearn.Compression.Pipeline;
using FedLearn.Compression.Quantization;

namespace FedLearn.Compression.Tests.Support;

/// <summary>
/// An independent model of what a chain without error feedback may output for an input: which positions it keeps
/// (a full sort by magnitude, ties to lower positions) and how far each kept value may move (the bound the
/// quantizer documents). Used to check the pipeline end to end.
/// </summary>
public static class ChainReference
{
    /// <summary>Returns null when <paramref name="y"/> is a valid output for <paramref name="x"/>, else what is wrong.</summary>
    public static string? Check(ICompressor compressor, float[] x, float[] y)
    {
        PipelineSpec spec = ((CompressionPipeline)compressor).Spec;
        int k = spec.KeptCount(x.Length);
        int[] kept = Enumerable.Range(0, x.Length).OrderByDescending(i => Math.Abs(x[i])).ThenBy(i => i).Take(k).Order().ToArray();
        var keptSet = new HashSet<int>(kept);
        for (int i = 0; i < x.Length; i++)
        {
            if (!float.IsFinite(y[i]))
            {
                return $"output {i} is {y[i]}";
            }

            if (!keptSet.Contains(i) && y[i] != 0)
            {
                return $"output {i} is {y[i]} but position {i} is not among the top {k}";
            }
        }

        float[] values = kept.Select(i => x[i]).ToArray();
        float[] decoded = kept.Select(i => y[i]).ToArray();
        if (spec.Quantizer is not QuantizerSpec q)
        {
            return values.SequenceEqual(decoded) ? null : "kept values changed without quantization";
        }

        for (int start = 0; start < values.Length; start += q.ChunkSize)
        {
            int length = Math.Min(q.ChunkSize, values.Length - start);
            ArraySegment<float> chunk = new(values, start, length);
            if (q.Scheme == QuantizationScheme.ScaledSign)
            {
                double squared = chunk.Sum(v => (double)v * v);
                float scale = Math.Abs(decoded[start]);
                double ulp = MathF.BitIncrement(scale) - scale;
                double error = Enumerable.Range(start, length).Sum(j => Math.Pow((double)decoded[j] - values[j], 2));
                if (error > (squared * (1 + 1e-9)) + (4 * length * ulp * ulp))
                {
                    return $"sign chunk at {start}: squared error {error} above ‖x‖² {squared}";
                }

                continue;
            }

            double bound = Bound(q, chunk);
            for (int j = start; j < start + length; j++)
            {
                if (Math.Abs((double)decoded[j] - values[j]) > bound)
                {
                    return $"value at kept position {kept[j]}: {values[j]} decoded as {decoded[j]}, beyond the bound {bound}";
                }
            }
        }

        return null;
    }

    private static double Bound(QuantizerSpec q, IReadOnlyList<float> chunk)
    {
        bool nearest = q.Rounding == QuantizationRounding.Nearest;
        if (q.Scheme == QuantizationScheme.MinMax)
        {
            double min = chunk.Min(), max = chunk.Max();
            double delta = (max - min) / Quantizer.LevelCount(q.Bits);
            return (nearest ? delta / 2 : delta) + (Math.Pow(2, -23) * Math.Max(Math.Abs(min), Math.Abs(max))) + float.Epsilon;
        }

        double norm = Math.Sqrt(chunk.Sum(v => (double)v * v));
        double s = Quantizer.LevelCount(q.Bits - 1);
        return (nearest ? norm / (2 * s) : norm / s) + (Math.Pow(2, -23) * norm) + float.Epsilon;
    }
}
