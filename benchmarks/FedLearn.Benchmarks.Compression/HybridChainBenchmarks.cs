using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FedLearn.Compression;
using FedLearn.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// The hybrid chains on one core, in one run: FedLearn's span encoder, FedLearn.Torch's tensor encoder on the CPU,
/// the naive baseline (Array.Sort top-k, scalar quantization, raw indices) and the same pipeline written with
/// TorchSharp tensor operations (the ratio baseline, see <see cref="TorchOpsPipeline"/>). LibTorch is limited to one
/// thread, so every contender runs on one core. Error feedback carries its residual from one call to the next.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HybridChainBenchmarks
{
    private ICompressor _chain = null!;
    private TensorCompressor _tensorEncoder = null!;
    private TorchOpsPipeline _torch = null!;
    private CompressionContext _context = null!;
    private CompressionContext _tensorContext = null!;
    private float[] _update = [];
    private float[] _destination = [];
    private float[] _naiveResidual = [];
    private byte[] _payload = [];
    private byte[] _naivePayload = [];
    private byte[] _torchPayload = [];
    private Tensor _updateTensor = null!;
    private Tensor _destinationTensor = null!;
    private int _k;

    [Params("ef,topk:0.1,q:8", "ef,topk:0.01,q:8,entropy")]
    public string Chain { get; set; } = string.Empty;

    [Params(1_000_000, 10_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.SetThreadCount(1);
        _update = Vectors.Gaussian(N, 1);
        _destination = new float[N];
        _naiveResidual = new float[N];
        _chain = CompressionPipelineBuilder.Parse(Chain).Build();
        _tensorEncoder = new TensorCompressor(_chain, TorchDevicePreference.Cpu);
        _k = Chain.Contains("0.01", StringComparison.Ordinal) ? N / 100 : N / 10;
        _torch = new TorchOpsPipeline(N, _k);
        _context = new CompressionContext("bench", 1, 7, new ComponentState());
        _tensorContext = new CompressionContext("bench", 1, 7, new ComponentState());
        _updateTensor = torch.tensor(_update);
        _destinationTensor = torch.zeros(N);
        _payload = _chain.Compress(_update, new CompressionContext("bench", 1, 7, new ComponentState())).Bytes.ToArray();
        _naivePayload = NaiveCodec.TopKQuantize8(_update, _k);
        _torchPayload = new TorchOpsPipeline(N, _k).Compress(_updateTensor);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torch.Dispose();
        _updateTensor.Dispose();
        _destinationTensor.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("compress")]
    public int Compress_TorchSharpOps() => _torch.Compress(_updateTensor).Length;

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_FedLearn() => _chain.Compress(_update, _context).Bytes.Length;

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_FedLearnTensorEncoderCpu() => _tensorEncoder.Compress(_updateTensor, _tensorContext).Bytes.Length;

    [Benchmark, BenchmarkCategory("compress")]
    public int Compress_Naive() => NaiveCodec.ErrorFeedbackTopKQuantize8(_update, _naiveResidual, _k).Length;

    [Benchmark(Baseline = true), BenchmarkCategory("decompress")]
    public Tensor Decompress_TorchSharpOps()
    {
        _torch.Decompress(_torchPayload, _destinationTensor);
        return _destinationTensor;
    }

    [Benchmark, BenchmarkCategory("decompress")]
    public float[] Decompress_FedLearn()
    {
        _chain.Decompress(_payload, _destination);
        return _destination;
    }

    [Benchmark, BenchmarkCategory("decompress")]
    public float[] Decompress_Naive()
    {
        NaiveCodec.Decode(_naivePayload, _k, _destination);
        return _destination;
    }
}
