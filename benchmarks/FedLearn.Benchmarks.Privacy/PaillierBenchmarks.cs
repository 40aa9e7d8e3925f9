using System.Numerics;
using BenchmarkDotNet.Attributes;
using FedLearn.Privacy.HomomorphicEncryption;

namespace FedLearn.Benchmarks.Privacy;

// Paillier with a 2048-bit key, per plaintext value: encryption with a fresh randomizer (r^n computed inline) and with
// one from the precomputed pool, homomorphic addition, decryption; packed (BatchCrypt: 61 values of 2^22 levels with
// padding for 1024 clients per ciphertext) against one value per ciphertext; GMP against managed BigInteger.
// Each invocation handles four ciphertexts; OperationsPerInvoke turns that into a cost per value.
[MemoryDiagnoser]
[MedianColumn]
public class PaillierBenchmarks
{
    private const int Ciphertexts = 4;
    private const int Vectors = 8;
    private static readonly Lazy<PaillierPrivateKey> Key = new(() => PaillierPrivateKey.Generate(2048));
    private PaillierScheme _scheme = null!;
    private long[] _values = [];
    private EncryptedVector _encrypted = null!;

    [Params("gmp", "managed")]
    public string Backend { get; set; } = "gmp";

    [Params(true, false)]
    public bool Packing { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        IBigIntegerMath math = Backend == "gmp" ? new GmpBigIntegerMath() : ManagedBigIntegerMath.Instance;
        _scheme = new PaillierScheme(Key.Value, new PaillierOptions { Packing = Packing }, math);
        var random = new Random(1);
        _values = Enumerable.Range(0, Ciphertexts * _scheme.ValuesPerCiphertext).Select(_ => random.NextInt64(0, _scheme.MaxValue + 1)).ToArray();
        _encrypted = _scheme.Encrypt(_values);
        Console.WriteLine($"// {_scheme.Name}: {_scheme.ValuesPerCiphertext} values per ciphertext, {_scheme.SlotBits}-bit slots");
    }

    [GlobalCleanup]
    public void Cleanup() => _scheme.Dispose();

    [IterationSetup(Target = nameof(EncryptWithPrecomputedRandomizer))]
    public void Precompute() => _scheme.Precompute(Ciphertexts * Vectors);

    [Benchmark(Baseline = true)]
    public EncryptedVector EncryptWithFreshRandomizer() => _scheme.Encrypt(_values);

    [Benchmark(OperationsPerInvoke = Vectors)]
    public BigInteger[] EncryptWithPrecomputedRandomizer()
    {
        // Several vectors per iteration, all covered by the pool filled in the iteration set-up.
        BigInteger[] last = [];
        for (int i = 0; i < Vectors; i++)
        {
            last = _scheme.Encrypt(_values).Ciphertexts;
        }

        return last;
    }

    [Benchmark]
    public EncryptedVector Add() => _scheme.Add(_encrypted, _encrypted);

    [Benchmark]
    public long[] Decrypt()
    {
        var back = new long[_values.Length];
        _scheme.Decrypt(_encrypted, back);
        return back;
    }
}
