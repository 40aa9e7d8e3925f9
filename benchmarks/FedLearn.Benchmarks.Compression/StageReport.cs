using System.Globalization;
using System.Text;
using FedLearn.Compression;
using FedLearn.Compression.Entropy;
using FedLearn.Compression.Pipeline;
using FedLearn.Compression.Quantization;
using FedLearn.Compression.TopK;
using FedLearn.Compression.Wire;

namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// Where the time of one top-k chain goes: each stage of the encoder and decoder timed on its own (the same kernels
/// the pipeline calls, on the same vector), next to the whole <see cref="ICompressor.Compress"/> and
/// <see cref="ICompressor.Decompress"/>. CPU time per call as <see cref="CpuTimeReport"/> measures it (median of five
/// samples of about 100 ms of CPU each, after forty warm-up calls), because on a shared machine wall times of short stages
/// are mostly waiting for a core.
/// </summary>
internal static class StageReport
{
    public static string Build(int n, string chainText, string vector = "gaussian")
    {
        float[] update = vector switch
        {
            "gaussian" => Vectors.Gaussian(n, 1),
            "layered" => Vectors.Layered(n, 1),
            _ => throw new ArgumentException($"The vector is '{vector}'; the stage report knows 'gaussian' and 'layered'.", nameof(vector)),
        };
        var chain = (CompressionPipeline)CompressionPipelineBuilder.Parse(chainText).Build();
        PipelineSpec spec = chain.Spec;
        if (!spec.TopK || spec.Quantizer is not QuantizerSpec quantizer)
        {
            throw new ArgumentException("The stage report covers chains with top-k and quantization.", nameof(chainText));
        }

        int m = spec.KeptCount(n);
        float[] residual = new float[n];
        int[] indices = new int[m];
        int[] decodedIndices = new int[m];
        float[] kept = new float[m];
        float[] sent = new float[m];
        uint[] codes = new uint[m];
        double[] scales = new double[2 * quantizer.ChunkCount(m)];
        float[] destination = new float[n];
        var context = new CompressionContext("stages", 1, 7, new ComponentState());
        byte[] payload = chain.Compress(update, context).Bytes.ToArray();
        if (context.State.TryGet(FedLearn.Compression.ErrorFeedback.ErrorFeedbackMemory.StateKey, out float[] state))
        {
            // Start from the residual one round leaves, as in a running client.
            state.CopyTo(residual);
        }

        float[] addend = spec.ErrorFeedback ? residual : [];
        IndexSectionPlan plan = default;
        byte[] indexSection = [];
        byte[] valueSection = new byte[RansCodec.MaxEncodedLength(m, quantizer.Bits) + BitPacking.PackedLength(m, quantizer.Bits)];

        var stages = new List<(string Name, Action Run)>
        {
            ("top-k: sample, fused update + residual filter, band selection, emit", () => TopKSelector.SelectSum(update, addend, m, indices, kept, 3, n >= TopKSelector.SamplingThreshold)),
            ("quantize", () => Quantizer.Quantize(kept, quantizer, 5, codes, scales)),
            ("dequantize (what error feedback subtracts)", () => Quantizer.Dequantize(codes, quantizer, scales, sent)),
            ("residual: blocked add + kept positions", () => CompressionPipeline.UpdateResidual(update, indices, kept, sent, residual)),
            ("index plan (Rice parameter, exact cost)", () => plan = IndexSection.Plan(indices, n)),
            ("index encode", () =>
            {
                indexSection = indexSection.Length == plan.Length + 8 ? indexSection : new byte[plan.Length + 8];
                IndexSection.Encode(indices, n, plan, indexSection);
            }),
            (spec.EntropyCodesValues ? "values: rANS" : "values: bit packing", () =>
            {
                _ = spec.EntropyCodesValues ? RansCodec.Encode(codes, quantizer.Bits, valueSection) : BitPacking.Pack(codes, quantizer.Bits, valueSection);
            }),
            ("CRC-32C of the payload", () => WireHeader.Checksum(payload)),
            ("whole Compress", () => chain.Compress(update, context)),
            ("index decode", () => IndexSection.Decode(indexSection.AsSpan(0, (int)plan.Length), plan.RiceParameter, n, decodedIndices)),
            ("whole Decompress", () => chain.Decompress(payload, destination)),
        };

        // Forty calls of every stage, then a pause, so the tiered JIT has replaced each kernel's first, unoptimized
        // code before anything is timed (the whole Compress reaches that state on its own; single stages called a few
        // times would not).
        foreach ((_, Action run) in stages)
        {
            for (int i = 0; i < 40; i++)
            {
                run();
            }
        }

        Thread.Sleep(1000);
        var medians = new List<(string Name, double Milliseconds)>();
        foreach ((string name, Action run) in stages)
        {
            medians.Add((name, CpuTimeReport.Median(run)));
        }

        double whole = medians.Single(s => s.Name == "whole Compress").Milliseconds;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{chainText}`, {vector} vector, n = {n:N0}, k = {m:N0}, index coding {plan.Coding} (first Rice parameter {plan.RiceParameter}): median CPU ms per call");
        text.AppendLine();
        text.AppendLine("| stage | ms | share of whole Compress |");
        text.AppendLine("| --- | ---: | ---: |");
        foreach ((string name, double ms) in medians)
        {
            bool decoder = name.Contains("decode", StringComparison.Ordinal) || name.Contains("Decompress", StringComparison.Ordinal);
            string share = decoder ? "–" : (ms / whole).ToString("0%", CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {ms:0.00} | {share} |");
        }

        return text.ToString();
    }
}
