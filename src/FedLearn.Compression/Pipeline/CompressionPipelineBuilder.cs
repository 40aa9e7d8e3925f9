using System.ComponentModel.DataAnnotations;
using FedLearn.Compression.Pipeline;
using FedLearn.Compression.Quantization;
using Microsoft.Extensions.Options;

namespace FedLearn.Compression;

/// <summary>
/// Composes a codec chain and builds it into an <see cref="ICompressor"/>. Stages must be added in the order
/// error feedback → top-k → quantization → entropy coding, each at most once; <see cref="Build"/> checks the whole
/// chain and throws one <see cref="OptionsValidationException"/> that lists every problem. Not thread-safe; the built
/// compressor is immutable and thread-safe.
/// </summary>
/// <example>
/// <code>
/// ICompressor hybrid = new CompressionPipelineBuilder().WithErrorFeedback().TopK(0.01).Quantize(8).EntropyCode().Build();
/// ICompressor same = CompressionPipelineBuilder.Parse("ef,topk:0.01,q:8,entropy").Build();
/// </code>
/// </example>
public sealed class CompressionPipelineBuilder
{
    private readonly List<(StageKind Kind, object? Options)> _stages = [];
    private readonly List<string> _errors = [];

    /// <summary>The largest update the compressor encodes or decodes; larger ones, and payloads announcing more, are rejected.</summary>
    /// <value>Default <see cref="CompressionDefaults.MaxElementCount"/> (2^28).</value>
    public int MaxElementCount { get; set; } = CompressionDefaults.MaxElementCount;

    /// <summary>Starts a builder from the one-string form, for example <c>ef,topk:0.01,q:8,entropy</c>.</summary>
    /// <remarks>
    /// Stages: <c>ef</c>; <c>topk:0.01</c> (a ratio: it has a decimal point or exponent) or <c>topk:1000</c> (a count);
    /// <c>q:B</c> with optional <c>:stochastic</c>, <c>:norm</c>, <c>:minmax</c>, <c>:nearest</c>, <c>:chunk=N</c>;
    /// <c>qsgd:B</c>; <c>sign</c>; <c>entropy</c>; or the whole chain <c>none</c> for dense float32. Syntax errors are
    /// reported by <see cref="Build"/> together with any other error.
    /// </remarks>
    public static CompressionPipelineBuilder Parse(string chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var builder = new CompressionPipelineBuilder();
        ChainParser.Parse(chain, builder);
        return builder;
    }

    /// <summary>Adds error feedback: the part of each update that was not sent is kept per client and added to the next one.</summary>
    /// <remarks>Karimireddy et al. 2019, "Error feedback fixes SignSGD and other gradient compression schemes".</remarks>
    public CompressionPipelineBuilder WithErrorFeedback() => Add(StageKind.ErrorFeedback, null);

    /// <summary>Adds top-k keeping the fraction <paramref name="ratio"/> (in (0, 1]) of values with largest magnitude.</summary>
    public CompressionPipelineBuilder TopK(double ratio) => Add(StageKind.TopK, new TopKOptions { Ratio = ratio });

    /// <summary>Adds top-k keeping the <paramref name="count"/> values with largest magnitude.</summary>
    public CompressionPipelineBuilder TopKCount(int count) => Add(StageKind.TopK, new TopKOptions { Count = count });

    /// <summary>Adds top-k configured by <paramref name="configure"/>.</summary>
    public CompressionPipelineBuilder TopK(Action<TopKOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TopKOptions();
        configure(options);
        return Add(StageKind.TopK, options);
    }

    /// <summary>Adds uniform min/max quantization to <paramref name="bits"/> bits (1 to 32).</summary>
    public CompressionPipelineBuilder Quantize(int bits, QuantizationRounding rounding = QuantizationRounding.Nearest) =>
        Quantize(o =>
        {
            o.Bits = bits;
            o.Rounding = rounding;
        });

    /// <summary>Adds quantization configured by <paramref name="configure"/>.</summary>
    public CompressionPipelineBuilder Quantize(Action<QuantizationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new QuantizationOptions();
        configure(options);
        return Add(StageKind.Quantize, options);
    }

    /// <summary>Adds QSGD: norm-scaled sign and magnitude with stochastic rounding, <paramref name="bits"/> bits (2 to 32) per value.</summary>
    /// <remarks>Alistarh et al. 2017, "QSGD: Communication-efficient SGD via gradient quantization and encoding".</remarks>
    public CompressionPipelineBuilder Qsgd(int bits) =>
        Quantize(o =>
        {
            o.Scheme = QuantizationScheme.Norm;
            o.Bits = bits;
            o.Rounding = QuantizationRounding.Stochastic;
        });

    /// <summary>Adds scaled-sign quantization: one bit per value, scaled by the chunk's mean magnitude (EF-signSGD).</summary>
    /// <remarks>Karimireddy et al. 2019; pair it with <see cref="WithErrorFeedback"/>, without which sign compression can diverge.</remarks>
    public CompressionPipelineBuilder ScaledSign() =>
        Quantize(o =>
        {
            o.Scheme = QuantizationScheme.ScaledSign;
            o.Bits = 1;
        });

    /// <summary>
    /// Adds entropy coding: quantized values of at most 8 bits with rANS. Kept positions are Golomb–Rice-coded gaps
    /// (or a bitmap when that is no larger) with or without this stage, so after top-k without such a quantizer it
    /// changes nothing but the chain id.
    /// </summary>
    public CompressionPipelineBuilder EntropyCode() => Add(StageKind.Entropy, null);

    /// <summary>Checks the chain and builds the compressor.</summary>
    /// <exception cref="OptionsValidationException">The chain is invalid; the message lists every error.</exception>
    public ICompressor Build()
    {
        var errors = new List<string>(_errors);
        if (MaxElementCount < 1)
        {
            errors.Add($"MaxElementCount must be at least 1; {MaxElementCount} was given.");
        }

        for (int i = 0; i < _stages.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (_stages[j].Kind == _stages[i].Kind)
                {
                    errors.Add($"Stage {Describe(_stages[i].Kind)} appears more than once.");
                }
                else if (_stages[j].Kind > _stages[i].Kind)
                {
                    errors.Add($"Stage {Describe(_stages[i].Kind)} must come before {Describe(_stages[j].Kind)}: {OrderReason(_stages[i].Kind, _stages[j].Kind)}.");
                }
            }

            if (_stages[i].Options is { } options)
            {
                var results = new List<ValidationResult>();
                Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
                errors.AddRange(results.Select(r => $"{Describe(_stages[i].Kind)}: {r.ErrorMessage}"));
            }
        }

        bool errorFeedback = Has(StageKind.ErrorFeedback);
        var topK = Find<TopKOptions>(StageKind.TopK);
        var quantization = Find<QuantizationOptions>(StageKind.Quantize);
        bool entropy = Has(StageKind.Entropy);
        if (errorFeedback && topK is null && quantization is null)
        {
            errors.Add("Error feedback needs a lossy stage after it (top-k or quantization); alone it would send the update unchanged.");
        }

        if (entropy && topK is null && (quantization is null || quantization.Bits > 8))
        {
            errors.Add("Entropy coding needs top-k positions or values quantized to at most 8 bits to code.");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException("CompressionPipeline", typeof(CompressionPipelineBuilder), errors);
        }

        var spec = new PipelineSpec(
            errorFeedback,
            topK?.Ratio,
            topK?.Count,
            quantization is null ? null : QuantizerSpec.From(quantization),
            entropy,
            MaxElementCount);
        return new CompressionPipeline(spec);
    }

    internal void AddError(string error) => _errors.Add(error);

    private CompressionPipelineBuilder Add(StageKind kind, object? options)
    {
        _stages.Add((kind, options));
        return this;
    }

    private bool Has(StageKind kind) => _stages.Exists(s => s.Kind == kind);

    private T? Find<T>(StageKind kind)
        where T : class => _stages.Find(s => s.Kind == kind).Options as T;

    private static string Describe(StageKind kind) => kind switch
    {
        StageKind.ErrorFeedback => "error feedback",
        StageKind.TopK => "top-k",
        StageKind.Quantize => "quantization",
        _ => "entropy coding",
    };

    private static string OrderReason(StageKind earlier, StageKind later) => (earlier, later) switch
    {
        (StageKind.ErrorFeedback, _) => "the residual must be added before anything is dropped",
        (StageKind.TopK, _) => "top-k selects among float values, not quantized codes",
        _ => "entropy coding works on the final positions and codes",
    };
}
