using BenchmarkDotNet.Attributes;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.SecureAggregation;

namespace FedLearn.Benchmarks.Privacy;

// The server's unmasking (stage 5 and the sum) of SecAgg+ for n clients, d parameters and a share of clients that
// drop out after the key set-up: summing the masked inputs, reconstructing seeds and keys from Shamir shares, ECDH
// for each dropped client's neighbours, expanding every mask stream to d words (AES-CTR) and removing it.
// The set-up runs once (real clients, real keys); each iteration unmasks that same round again from the replies the
// survivors gave. Baseline: summing the n dense fixed-point vectors alone, what a server without masks does.
[MemoryDiagnoser]
[MedianColumn]
public class SecAggPlusServerBenchmarks
{
    private SecAggPlusFederation _federation = null!;
    private List<ClientUpdate> _updates = [];
    private SecAggPlusRoundState _state = null!;
    private float[] _destination = [];

    [Params(10, 100, 1000)]
    public int Clients { get; set; }

    [Params(100_000, 1_000_000)]
    public int Length { get; set; }

    [Params(0.0, 0.2)]
    public double Dropout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _federation = new SecAggPlusFederation(Clients, Dropout, new SecAggPlusOptions());
        _updates = _federation.PrepareAsync(Length, shareOnePayload: (long)Clients * Length > 100_000_000).GetAwaiter().GetResult();
        _state = _federation.Server.State!;
        _destination = new float[Length];

        // One real unmasking records the survivors' replies and checks the round succeeds.
        SecureAggregationResult result = _federation.Server.AggregateAsync(1, _updates, _destination, _federation, CancellationToken.None).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.FailureReason);
        }

        _federation.ReplayUnmask = true;
        long up = _federation.BytesUp.Values.Sum() / _federation.BytesUp.Count;
        long down = _federation.BytesDown.Values.Sum() / _federation.BytesDown.Count;
        Console.WriteLine($"// traffic n={Clients} d={Length} dropout={Dropout}: mean bytes up per client {up}, down {down}, dense fixed-point vector {(long)Length * 4}");
    }

    [Benchmark(Baseline = true)]
    public uint[] SumOfDenseFixedPointVectors()
    {
        var sum = new uint[Length + 1];
        foreach (ClientUpdate update in _updates)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(sum, ((MaskedUpdatePayload)update.Payload).Values, sum);
        }

        return sum;
    }

    [Benchmark]
    public bool Unmask()
    {
        _federation.Server.State = _state;
        return _federation.Server.AggregateAsync(1, _updates, _destination, _federation, CancellationToken.None).GetAwaiter().GetResult().Succeeded;
    }
}
