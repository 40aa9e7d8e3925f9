using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using FedLearn.Privacy.SecureAggregation;

namespace FedLearn.Benchmarks.Privacy;

// One client's SecAgg+ compute: the key stages (two P-256 key pairs, Shamir shares of two secrets for k neighbours,
// AES-GCM sealing and opening) and the masked input for d parameters (stochastic fixed-point quantization, the self
// mask and k pairwise masks expanded with AES-CTR). k = 40 (NumShares 41, the default for n ≥ 41).
// Baseline: the quantization alone, which a client sending dense fixed-point vectors would do anyway.
[MemoryDiagnoser]
[MedianColumn]
public class SecAggPlusClientBenchmarks
{
    private const int Neighbourhood = 41;
    private float[] _delta = [];
    private SecAggPlusFederation _federation = null!;

    [Params(100_000, 1_000_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _delta = Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() - 0.5) * 0.01f).ToArray();
    }

    [IterationSetup(Target = nameof(MaskedInput))]
    public void SetUpKeys()
    {
        _federation = new SecAggPlusFederation(Neighbourhood, 0, new SecAggPlusOptions());
        _federation.Server.SetUpAsync(1, _federation.Ids, Length, _federation, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public uint[] QuantizeOnly()
    {
        var words = new uint[Length];
        using var rounding = new MaskGenerator(SHA256.HashData(BitConverter.GetBytes(1UL)));
        FixedPointQuantizer.Quantize(_delta, 0.01, 8.0, 1L << 22, rounding, words);
        return words;
    }

    [Benchmark]
    public UpdatePayload MaskedInput() => _federation.Clients[_federation.Ids[0]].Protect(_federation.Ids[0], 1, _delta, 100, 1);

    [Benchmark(OperationsPerInvoke = Neighbourhood)]
    public bool KeyStagesPerClient()
    {
        // All three key stages of a whole neighbourhood, divided by its size: what one client computes (server forwarding included).
        var federation = new SecAggPlusFederation(Neighbourhood, 0, new SecAggPlusOptions());
        return federation.Server.SetUpAsync(1, federation.Ids, Length, federation, CancellationToken.None).GetAwaiter().GetResult().FailureReason is null;
    }
}
