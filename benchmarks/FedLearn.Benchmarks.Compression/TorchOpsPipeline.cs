using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// The hybrid chain as a TorchSharp user would write it with tensor operations on the CPU: add the residual,
/// <c>torch.topk</c> on the magnitudes, sort the positions, min/max 8-bit quantization with <c>round</c>, the residual
/// update, then raw int32 positions and 8-bit codes copied out. It codes neither gaps nor values (no Golomb–Rice, no
/// rANS) and uses one scale for all kept values, so it does less work than the chains it is compared with.
/// Payload: min, max (float32), k positions (int32), k codes (byte).
/// </summary>
internal sealed class TorchOpsPipeline : IDisposable
{
    private readonly Tensor _residual;
    private readonly int _k;

    public TorchOpsPipeline(int n, int k)
    {
        _residual = zeros(n, ScalarType.Float32);
        _k = k;
    }

    public byte[] Compress(Tensor update)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor accumulated = update + _residual;
        Tensor positions = accumulated.abs().topk(_k, dim: 0, sorted: false).indexes.sort(dim: 0).Values;
        Tensor kept = accumulated.index_select(0, positions);
        float min = kept.min().item<float>();
        float max = kept.max().item<float>();
        float step = max > min ? (max - min) / 255f : 1f;
        Tensor codes = ((kept - min) / step).round_().clamp_(0, 255).to(ScalarType.Byte);
        Tensor sent = (codes.to(ScalarType.Float32) * step) + min;
        _residual.copy_(accumulated).index_copy_(0, positions, kept - sent);

        byte[] payload = new byte[8 + (5 * _k)];
        BitConverter.TryWriteBytes(payload.AsSpan(0), min);
        BitConverter.TryWriteBytes(payload.AsSpan(4), max);
        positions.to(ScalarType.Int32).data<int>().CopyTo(MemoryMarshal.Cast<byte, int>(payload.AsSpan(8, 4 * _k)));
        codes.data<byte>().CopyTo(payload.AsSpan(8 + (4 * _k), _k));
        return payload;
    }

    public void Decompress(byte[] payload, Tensor destination)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        float min = BitConverter.ToSingle(payload, 0);
        float max = BitConverter.ToSingle(payload, 4);
        float step = max > min ? (max - min) / 255f : 1f;
        Tensor positions = empty(_k, ScalarType.Int32);
        positions.data<int>().CopyFrom(MemoryMarshal.Cast<byte, int>(payload.AsSpan(8, 4 * _k)));
        Tensor codes = empty(_k, ScalarType.Byte);
        codes.data<byte>().CopyFrom(payload.AsSpan(8 + (4 * _k), _k));
        destination.zero_().index_copy_(0, positions.to(ScalarType.Int64), (codes.to(ScalarType.Float32) * step) + min);
    }

    public void Dispose() => _residual.Dispose();
}
