using System.Globalization;
using System.Text;
using FedLearn.Compression.Quantization;

namespace FedLearn.Compression.Pipeline;

/// <summary>
/// The validated, immutable description of a codec chain (stages in the fixed order error feedback → top-k →
/// quantization → entropy coding, each optional) and the codec chain id that identifies its wire layout.
/// </summary>
internal sealed class PipelineSpec
{
    private const ushort ErrorFeedbackBit = 1 << 0;
    private const ushort TopKBit = 1 << 1;
    private const int QuantizerShift = 2;
    private const ushort EntropyBit = 1 << 4;
    private const ushort StochasticBit = 1 << 5;
    private const int BitsShift = 8;

    /// <summary>The chain id bits that change the wire layout; error feedback and stochastic rounding do not.</summary>
    public const ushort StructuralMask = unchecked((ushort)~(ErrorFeedbackBit | StochasticBit));

    public PipelineSpec(bool errorFeedback, double? topKRatio, int? topKCount, QuantizerSpec? quantizer, bool entropy, int maxElementCount)
    {
        ErrorFeedback = errorFeedback;
        TopKRatio = topKRatio;
        TopKCount = topKCount;
        Quantizer = quantizer;
        Entropy = entropy;
        MaxElementCount = maxElementCount;
        ChainId = ComputeChainId();
        Name = ComputeName();
    }

    public bool ErrorFeedback { get; }

    public double? TopKRatio { get; }

    public int? TopKCount { get; }

    public bool TopK => TopKRatio is not null || TopKCount is not null;

    public QuantizerSpec? Quantizer { get; }

    public bool Entropy { get; }

    /// <summary>Whether the values are rANS-coded (entropy on, quantized to at most 8 bits).</summary>
    public bool EntropyCodesValues => Entropy && Quantizer is { Bits: <= 8 };

    public int MaxElementCount { get; }

    public ushort ChainId { get; }

    public string Name { get; }

    /// <summary>k for a vector of <paramref name="length"/> values (the length itself without top-k).</summary>
    public int KeptCount(int length) => !TopK ? length : new TopKOptions { Ratio = TopKRatio, Count = TopKCount }.KeptCount(length);

    /// <summary>A readable form of a chain id found in a payload, for error messages.</summary>
    public static string DescribeChainId(ushort id)
    {
        var parts = new List<string>();
        if ((id & TopKBit) != 0)
        {
            parts.Add("top-k");
        }

        int quantizer = (id >> QuantizerShift) & 3;
        if (quantizer != 0)
        {
            parts.Add($"{(QuantizationScheme)(quantizer - 1)} {((id >> BitsShift) & 31) + 1}-bit");
        }

        if ((id & EntropyBit) != 0)
        {
            parts.Add("entropy");
        }

        return $"0x{id:X4} ({(parts.Count == 0 ? "dense" : string.Join(", ", parts))})";
    }

    private ushort ComputeChainId()
    {
        int id = 0;
        id |= ErrorFeedback ? ErrorFeedbackBit : 0;
        id |= TopK ? TopKBit : 0;
        if (Quantizer is QuantizerSpec q)
        {
            id |= ((int)q.Scheme + 1) << QuantizerShift;
            id |= q.Rounding == QuantizationRounding.Stochastic ? StochasticBit : 0;
            id |= (q.Bits - 1) << BitsShift;
        }

        id |= Entropy ? EntropyBit : 0;
        return (ushort)id;
    }

    private string ComputeName()
    {
        var parts = new List<string>();
        if (ErrorFeedback)
        {
            parts.Add("ef");
        }

        if (TopKCount is int count)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"topk:{count}"));
        }
        else if (TopKRatio is double ratio)
        {
            string text = ratio.ToString("R", CultureInfo.InvariantCulture);
            parts.Add("topk:" + (text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0"));
        }

        if (Quantizer is QuantizerSpec q)
        {
            var stage = new StringBuilder();
            bool stochastic = q.Rounding == QuantizationRounding.Stochastic;
            switch (q.Scheme)
            {
                case QuantizationScheme.ScaledSign:
                    stage.Append("sign");
                    break;
                case QuantizationScheme.Norm when stochastic:
                    stage.Append(CultureInfo.InvariantCulture, $"qsgd:{q.Bits}");
                    break;
                case QuantizationScheme.Norm:
                    stage.Append(CultureInfo.InvariantCulture, $"q:{q.Bits}:norm");
                    break;
                default:
                    stage.Append(CultureInfo.InvariantCulture, $"q:{q.Bits}");
                    stage.Append(stochastic ? ":stochastic" : string.Empty);
                    break;
            }

            if (q.ChunkSize != QuantizationDefaults.ChunkSize)
            {
                stage.Append(CultureInfo.InvariantCulture, $":chunk={q.ChunkSize}");
            }

            parts.Add(stage.ToString());
        }

        if (Entropy)
        {
            parts.Add("entropy");
        }

        return parts.Count == 0 ? "none" : string.Join(',', parts);
    }
}
