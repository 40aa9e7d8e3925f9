using FedLearn.Compression;
using FedLearn.Compression.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// Deterministic quantization of a 1-D float32 tensor on its device, chunk by chunk as FedLearn.Compression's
/// quantizer does it: the codes (int64), the decoded values (float32, what the server will see) and the chunk scales.
/// Grid arithmetic is float64, one tensor operation per scalar operation of the span quantizer and in the same
/// order, so min/max codes and decoded values are bit-identical to it. The tensors belong to the caller's dispose scope.
/// </summary>
internal sealed class TensorQuantization
{
    private readonly Tensor _first;
    private readonly Tensor? _second;

    private TensorQuantization(Tensor codes, Tensor decoded, Tensor first, Tensor? second)
    {
        Codes = codes;
        Decoded = decoded;
        _first = first;
        _second = second;
    }

    /// <summary>One code per value (int64).</summary>
    public Tensor Codes { get; }

    /// <summary>The values the decoder reconstructs (float32).</summary>
    public Tensor Decoded { get; }

    /// <summary>Length of the scale array the wire writer takes: two per chunk.</summary>
    public int ScaleCount => 2 * (int)_first.numel();

    public static TensorQuantization Quantize(Tensor values, QuantizerSpec spec)
    {
        int chunk = spec.ChunkSize;
        long m = values.numel();
        Tensor v = values.to(ScalarType.Float64);

        // Scalars are owned and disposed here, never converted implicitly (see LocalOptimizer for why).
        using Scalar zero = 0.ToScalar();
        using Scalar half = 0.5.ToScalar();
        switch (spec.Scheme)
        {
            case QuantizationScheme.MinMax:
            {
                double levels = Quantizer.LevelCount(spec.Bits);
                Tensor min = PerChunk(values, chunk, rows => rows.amin([1])).to(ScalarType.Float64);
                Tensor max = PerChunk(values, chunk, rows => rows.amax([1])).to(ScalarType.Float64);
                using Scalar levelScalar = levels.ToScalar();
                Tensor range = max - min;
                Tensor inverse = where(range.gt(zero), full_like(range, levelScalar).div(range), zeros_like(range));
                Tensor codes = ((v - Expand(min, chunk, m)) * Expand(inverse, chunk, m)).add_(half, TorchScalars.One).floor().clamp_max(levelScalar);
                Tensor step = range.div(levelScalar);
                Tensor decoded = Expand(min, chunk, m).add(codes * Expand(step, chunk, m), TorchScalars.One).to(ScalarType.Float32);
                return new TensorQuantization(codes.to(ScalarType.Int64), decoded, min, max);
            }

            case QuantizationScheme.Norm:
            {
                double steps = Quantizer.LevelCount(spec.Bits - 1);
                long signBit = 1L << (spec.Bits - 1);
                using Scalar stepScalar = steps.ToScalar();
                using Scalar signScalar = signBit.ToScalar();
                using Scalar largest = ((double)float.MaxValue).ToScalar();
                Tensor norm = PerChunk(v, chunk, rows => rows.square().sum([1])).sqrt();
                Tensor inverse = where(norm.gt(zero), full_like(norm, stepScalar).div(norm), zeros_like(norm));
                Tensor level = (v.abs() * Expand(inverse, chunk, m)).add_(half, TorchScalars.One).floor().clamp_max(stepScalar);
                Tensor negative = values.lt(zero);
                Tensor codes = where(negative, level.to(ScalarType.Int64).add(signScalar, TorchScalars.One), level.to(ScalarType.Int64));
                Tensor magnitude = (level * Expand(norm.div(stepScalar), chunk, m)).clamp_max(largest).to(ScalarType.Float32);
                return new TensorQuantization(codes, where(negative, magnitude.neg(), magnitude), norm, null);
            }

            default:
            {
                Tensor counts = PerChunk(v, chunk, rows => full(rows.shape[0], rows.shape[1], ScalarType.Float64, rows.device));
                Tensor scale = (PerChunk(v, chunk, rows => rows.abs().sum([1])) / counts).to(ScalarType.Float32);
                Tensor nonNegative = values.ge(zero);
                Tensor perValue = Expand(scale, chunk, m);
                return new TensorQuantization(nonNegative.to(ScalarType.Int64), where(nonNegative, perValue, perValue.neg()), scale.to(ScalarType.Float64), null);
            }
        }
    }

    /// <summary>Copies the codes to the host.</summary>
    public void CopyCodes(Span<uint> destination)
    {
        long[] codes = Codes.cpu().data<long>().ToArray();
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (uint)codes[i];
        }
    }

    /// <summary>Copies the scales to the host in the span quantizer's layout: (min, max), (norm, 0) or (mean |x|, 0) per chunk.</summary>
    public void CopyScales(Span<double> destination)
    {
        double[] first = _first.to(ScalarType.Float64).cpu().data<double>().ToArray();
        double[]? second = _second?.to(ScalarType.Float64).cpu().data<double>().ToArray();
        for (int chunk = 0; chunk < first.Length; chunk++)
        {
            destination[2 * chunk] = first[chunk];
            destination[(2 * chunk) + 1] = second is null ? 0 : second[chunk];
        }
    }

    /// <summary>Reduces each chunk of <paramref name="values"/> (the last one may be short) to one element with <paramref name="reduceRows"/>.</summary>
    private static Tensor PerChunk(Tensor values, int chunk, Func<Tensor, Tensor> reduceRows)
    {
        long m = values.numel();
        long full = m / chunk * chunk;
        if (full == m)
        {
            return reduceRows(values.view(-1, chunk));
        }

        Tensor tail = reduceRows(values.narrow(0, full, m - full).view(1, -1));
        return full == 0 ? tail : cat([reduceRows(values.narrow(0, 0, full).view(-1, chunk)), tail]);
    }

    /// <summary>Repeats each chunk's value over its chunk's positions.</summary>
    private static Tensor Expand(Tensor perChunk, int chunk, long m) => perChunk.repeat_interleave(chunk).narrow(0, 0, m);
}
