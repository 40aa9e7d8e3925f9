using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using FedLearn.Compression;
using FedLearn.Compression.Pipeline;

namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// The compression-ratio table: for each chain and input vector, bytes actually produced (headers included) against
/// dense float32, the measured bits per kept index and per kept value (scales included), the entropy bound
/// 32 / (ρ·(b + log2(1/ρ) + 1.44)) for top-k fraction ρ and b-bit values (32/b without top-k), and the relative
/// L2 error of the decoded vector, with the index coding the encoder chose (Rice-coded gaps and their parameter, or
/// a bitmap).
/// </summary>
internal static class RatioReport
{
    private static readonly string[] ReportChains =
    [
        "q:8", "q:4", "q:4,entropy", "qsgd:4", "sign", "topk:0.1,q:8", "ef,topk:0.1,q:8", "topk:0.1,q:8,entropy",
        "topk:0.01,entropy", "topk:0.01,q:8", "topk:0.01,q:8,entropy", "topk:0.01,q:4,entropy", "topk:0.001,q:8,entropy", "topk:0.5,q:8",
    ];

    /// <summary>The table's two header lines.</summary>
    internal const string TableHeader =
        "| chain | bytes | ratio | index code | bits/index | bits/value | bound | % of bound | rel. L2 error |\n" +
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |";

    public static string Build(int n)
    {
        var text = new StringBuilder();
        foreach ((string name, float[] vector) in new[] { ("Gaussian N(0, 1e-6)", Vectors.Gaussian(n, 1)), ("Student-t(3) × 1e-3", Vectors.StudentT3(n, 1)) })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {name}, n = {n:N0}");
            text.AppendLine();
            text.AppendLine(TableHeader);
            foreach (string chain in ReportChains)
            {
                text.AppendLine(Row(chain, vector));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Row(string chain, float[] x)
    {
        ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
        EncodedUpdatePayload payload = compressor.Compress(x, new CompressionContext("report", 1, 1, new ComponentState()));
        return Row(chain, compressor, payload.Bytes.ToArray(), x.Length, x);
    }

    /// <summary>
    /// One table row for a payload of <paramref name="length"/> elements that <paramref name="compressor"/> produced.
    /// The relative error is measured against <paramref name="reference"/>, the vector the payload encodes; without
    /// one (error feedback, whose encoded vector includes the carried residual) the column shows a dash.
    /// </summary>
    internal static string Row(string chain, ICompressor compressor, byte[] bytes, int length, float[]? reference)
    {
        PipelineSpec spec = ((CompressionPipeline)compressor).Spec;
        float[] y = new float[length];
        compressor.Decompress(bytes, y);

        // Sections follow the 20-byte header and the 12-byte parameter block, each with a 4-byte length.
        int position = 32;
        long indexBytes = 0, valueBytes = 0;
        string indexCode = "–";
        if (spec.TopK)
        {
            // The index section's first byte is its coding; the Rice parameter is the second byte of the parameter block.
            indexCode = bytes[position + 4] switch
            {
                0 => string.Create(CultureInfo.InvariantCulture, $"gaps, r = {bytes[21]}"),
                2 => string.Create(CultureInfo.InvariantCulture, $"gaps, r per 16 (first {bytes[21]})"),
                _ => "bitmap",
            };
            indexBytes = Section(bytes, ref position);
        }

        if (spec.Quantizer is not null)
        {
            valueBytes += Section(bytes, ref position);
        }

        valueBytes += Section(bytes, ref position);
        int k = spec.KeptCount(length);
        double ratio = 4.0 * length / bytes.Length;
        int b = spec.Quantizer?.Bits ?? 32;
        double rho = (double)k / length;
        double bound = spec.TopK ? 32 / (rho * (b + Math.Log2(1 / rho) + 1.44)) : 32.0 / b;
        string error = "–";
        if (reference is not null)
        {
            double squaredError = 0, norm = 0;
            for (int i = 0; i < length; i++)
            {
                squaredError += Math.Pow((double)y[i] - reference[i], 2);
                norm += (double)reference[i] * reference[i];
            }

            error = F(Math.Sqrt(squaredError / norm), "0.0000");
        }

        string indexBits = spec.TopK ? F(8.0 * indexBytes / k, "0.00") : "–";

        // The flag field (parameter-block bytes 2–3): values packed plainly because rANS would not have been smaller.
        string packed = spec.EntropyCodesValues && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)) == 1 ? " (packed)" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"| `{chain}` | {bytes.Length:N0} | {F(ratio, "0.0")}× | {indexCode} | {indexBits} | {F(8.0 * valueBytes / k, "0.00")}{packed} | {F(bound, "0.0")}× | {F(100 * ratio / bound, "0.0")}% | {error} |");
    }

    private static int Section(byte[] bytes, ref int position)
    {
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
        position += 4 + length;
        return length;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
