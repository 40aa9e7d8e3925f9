using System.Globalization;

namespace FedLearn.Compression.Pipeline;

/// <summary>
/// Parses the one-string form of a chain into builder calls. Grammar (case-insensitive, stages separated by commas):
/// <c>none</c> | stage (<c>,</c> stage)*, where a stage is <c>ef</c>; <c>topk:R</c> with R a ratio written with a
/// decimal point or exponent (<c>topk:0.01</c>) or <c>topk:K</c> with K an integer count (<c>topk:1000</c>);
/// <c>q:B</c> followed by any of <c>:stochastic</c>, <c>:nearest</c>, <c>:minmax</c>, <c>:norm</c>, <c>:chunk=N</c>;
/// <c>qsgd:B</c> (norm scale, stochastic rounding) and <c>sign</c> (1-bit scaled sign), each optionally with
/// <c>:chunk=N</c>; <c>entropy</c>. Syntax errors are recorded on the builder and reported by Build with the rest.
/// </summary>
internal static class ChainParser
{
    public static void Parse(string chain, CompressionPipelineBuilder builder)
    {
        string trimmed = chain.Trim();
        if (trimmed.Length == 0)
        {
            builder.AddError("The chain is empty; write 'none' for no compression.");
            return;
        }

        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (string raw in trimmed.Split(','))
        {
            string token = raw.Trim();
            string[] parts = token.Split(':');
            string head = parts[0].ToLowerInvariant();
            switch (head)
            {
                case "ef" when parts.Length == 1:
                    builder.WithErrorFeedback();
                    break;
                case "entropy" when parts.Length == 1:
                    builder.EntropyCode();
                    break;
                case "topk" when parts.Length == 2:
                    ParseTopK(token, parts[1], builder);
                    break;
                case "q" or "qsgd" when parts.Length >= 2:
                case "sign":
                    ParseQuantizer(token, head, parts, builder);
                    break;
                default:
                    builder.AddError($"Unknown stage '{token}'; expected ef, topk:R|K, q:B[:stochastic|:norm|:chunk=N], qsgd:B, sign or entropy.");
                    break;
            }
        }
    }

    private static void ParseTopK(string token, string argument, CompressionPipelineBuilder builder)
    {
        bool looksLikeRatio = argument.AsSpan().IndexOfAny('.', 'e', 'E') >= 0;
        if (looksLikeRatio && double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out double ratio))
        {
            builder.TopK(ratio);
        }
        else if (!looksLikeRatio && int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            builder.TopKCount(count);
        }
        else
        {
            builder.AddError($"Stage '{token}': '{argument}' is neither a ratio (such as 0.01) nor a count (such as 1000).");
        }
    }

    private static void ParseQuantizer(string token, string head, string[] parts, CompressionPipelineBuilder builder)
    {
        var options = new QuantizationOptions();
        int firstModifier = 1;
        if (head == "sign")
        {
            options.Scheme = QuantizationScheme.ScaledSign;
            options.Bits = 1;
        }
        else
        {
            firstModifier = 2;
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int bits))
            {
                builder.AddError($"Stage '{token}': '{parts[1]}' is not a bit count.");
                return;
            }

            options.Bits = bits;
            if (head == "qsgd")
            {
                options.Scheme = QuantizationScheme.Norm;
                options.Rounding = QuantizationRounding.Stochastic;
            }
        }

        for (int i = firstModifier; i < parts.Length; i++)
        {
            string modifier = parts[i].Trim().ToLowerInvariant();
            if (modifier.StartsWith("chunk=", StringComparison.Ordinal)
                && int.TryParse(modifier.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int chunk))
            {
                options.ChunkSize = chunk;
            }
            else if (head == "q" && modifier == "stochastic")
            {
                options.Rounding = QuantizationRounding.Stochastic;
            }
            else if (head == "q" && modifier == "nearest")
            {
                options.Rounding = QuantizationRounding.Nearest;
            }
            else if (head == "q" && modifier == "norm")
            {
                options.Scheme = QuantizationScheme.Norm;
            }
            else if (head == "q" && modifier == "minmax")
            {
                options.Scheme = QuantizationScheme.MinMax;
            }
            else
            {
                builder.AddError($"Stage '{token}': unknown modifier '{parts[i]}'.");
                return;
            }
        }

        builder.Quantize(o =>
        {
            o.Scheme = options.Scheme;
            o.Bits = options.Bits;
            o.Rounding = options.Rounding;
            o.ChunkSize = options.ChunkSize;
        });
    }
}
