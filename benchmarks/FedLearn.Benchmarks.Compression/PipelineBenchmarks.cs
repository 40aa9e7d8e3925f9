using FedLearn.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// Compress and decompress N float32 values with each codec and the hybrid chains, against the naive baseline
/// (Array.Sort top-k 1% + scalar 8-bit quantization, raw indices) in the same run.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PipelineBenchmarks
{
    private readonly Dictionary<string, ICompressor> _compressors = [];
    private readonly Dictionary<string, byte[]> _payloads = [];
    private float[] _update = [];
    private float[] _destination = [];
    private byte[] _naivePayload = [];
    private CompressionContext _context = null!;

    [Params(1_000_000, 10_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _update = Vectors.Gaussian(N, 1);
        _destination = new float[N];
        _context = new CompressionContext("bench", 1, 7, new ComponentState());
        foreach (string chain in new[] { "q:8", "qsgd:4", "sign", "topk:0.01", "topk:0.01,q:8,entropy", "ef,topk:0.01,q:8,entropy", "ef,topk:0.1,q:8" })
        {
            ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
            _compressors[chain] = compressor;
            _payloads[chain] = compressor.Compress(_update, new CompressionContext("bench", 1, 7, new ComponentState())).Bytes.ToArray();
        }

        _naivePayload = NaiveCodec.TopKQuantize8(_update, N / 100);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("compress")]
    public byte[] Compress_Naive_TopK1pct_Q8() => NaiveCodec.TopKQuantize8(_update, N / 100);

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_Q8() => Compress("q:8");

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_Qsgd4() => Compress("qsgd:4");

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_Sign() => Compress("sign");

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_TopK1pct() => Compress("topk:0.01");

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_TopK1pct_Q8_Entropy() => Compress("topk:0.01,q:8,entropy");

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_Ef_TopK1pct_Q8_Entropy() => Compress("ef,topk:0.01,q:8,entropy");

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_Ef_TopK10pct_Q8() => Compress("ef,topk:0.1,q:8");

    [Benchmark(Baseline = true), BenchmarkCategory("decompress")]
    public float[] Decompress_Naive_TopK1pct_Q8()
    {
        int k = N / 100;
        float min = BitConverter.ToSingle(_naivePayload, 0);
        float max = BitConverter.ToSingle(_naivePayload, 4);
        float[] values = new float[k];
        NaiveCodec.Dequantize8(_naivePayload[(8 + (4 * k))..], min, max, values);
        Array.Clear(_destination);
        for (int j = 0; j < k; j++)
        {
            _destination[BitConverter.ToInt32(_naivePayload, 8 + (4 * j))] = values[j];
        }

        return _destination;
    }

    [Benchmark, BenchmarkCategory("decompress")]
    public float[] Decompress_Q8() => Decompress("q:8");

    [Benchmark, BenchmarkCategory("decompress")]
    public float[] Decompress_Qsgd4() => Decompress("qsgd:4");

    [Benchmark, BenchmarkCategory("decompress")]
    public float[] Decompress_Sign() => Decompress("sign");

    [Benchmark, BenchmarkCategory("decompress")]
    public float[] Decompress_TopK1pct() => Decompress("topk:0.01");

    [Benchmark, BenchmarkCategory("decompress")]
    public float[] Decompress_TopK1pct_Q8_Entropy() => Decompress("topk:0.01,q:8,entropy");

    [Benchmark, BenchmarkCategory("decompress")]
    public float[] Decompress_Ef_TopK10pct_Q8() => Decompress("ef,topk:0.1,q:8");

    private int Compress(string chain) => _compressors[chain].Compress(_update, _context).Bytes.Length;

    private float[] Decompress(string chain)
    {
        _compressors[chain].Decompress(_payloads[chain], _destination);
        return _destination;
    }
}
