using System.Buffers.Binary;
using FedLearn.Compression.Tests.Support;
using FedLearn.Compression.Wire;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Wire;

/// <summary>
/// Feeds decoders random and mutated payloads. A decoder may accept a payload (then every output must be finite)
/// or throw <see cref="FedLearnFormatException"/>; any other exception fails the test with the case that caused it.
/// Mutated payloads are re-signed with a valid checksum so the mutations reach the section parsers.
/// </summary>
public sealed class DecoderFuzzTests
{
    private static readonly string[] FuzzChains =
    [
        "none", "q:3", "q:8,entropy", "qsgd:4", "sign,entropy", "topk:0.1", "topk:0.2,q:5", "topk:0.1,q:8,entropy",
        "topk:0.05,qsgd:6,entropy", "topk:0.1,entropy", "topk:0.1,q:12,entropy", "topk:0.8,q:4", "topk:0.6,entropy",
        "topk:0.01,q:8,entropy", "topk:0.02,q:2,entropy",
    ];

    [Test]
    public void Thousands_of_random_and_mutated_payloads_never_crash_the_decoder() => Run(casesPerChain: 400, seed: 1);

    [Test]
    [Category("LongFuzz")]
    [Explicit("Long fuzz run; select with --filter TestCategory=LongFuzz and scale with FEDLEARN_FUZZ_CASES.")]
    public void Long_fuzz_run()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("FEDLEARN_FUZZ_CASES"), out int n) ? n : 50_000;
        Run(casesPerChain: cases, seed: (ulong)Environment.TickCount64);
    }

    [Test]
    public void Every_single_bit_flip_is_caught_by_the_checksum()
    {
        ICompressor compressor = CompressionPipelineBuilder.Parse("topk:0.1,q:8,entropy").Build();
        byte[] payload = compressor.Compress(Chains.Gaussian(300, 1), Chains.Context()).Bytes.ToArray();
        for (int bit = 0; bit < payload.Length * 8; bit++)
        {
            byte[] copy = (byte[])payload.Clone();
            copy[bit >> 3] ^= (byte)(1 << (bit & 7));
            Assert.Throws<FedLearnFormatException>(() => compressor.Decompress(copy, new float[300]), $"bit {bit}");
        }
    }

    private static void Run(int casesPerChain, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        foreach (string chain in FuzzChains)
        {
            ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
            for (int c = 0; c < casesPerChain; c++)
            {
                int n = random.NextInt(4) == 0 ? random.NextInt(3000) : random.NextInt(64);
                byte[] valid = compressor.Compress(VectorArbitraries.Make(VectorArbitraries.Kinds[random.NextInt(VectorArbitraries.Kinds.Length)], n, random.NextUInt64()).Values, Chains.Context(random.NextUInt64())).Bytes.ToArray();
                (string mutation, byte[] bad) = Mutate(valid, random);
                int destination = random.NextInt(8) == 0 ? random.NextInt(3000) : n;
                Decode(compressor, chain, mutation, bad, destination);
            }
        }
    }

    private static (string Mutation, byte[] Payload) Mutate(byte[] valid, DeterministicRandom random)
    {
        byte[] p = (byte[])valid.Clone();
        switch (random.NextInt(7))
        {
            case 0:
                byte[] noise = new byte[random.NextInt(200)];
                foreach (ref byte b in noise.AsSpan())
                {
                    b = (byte)random.NextUInt64();
                }

                return ("random bytes", noise);
            case 1:
                return ("truncated", p[..random.NextInt(p.Length + 1)]);
            case 2:
                int flips = 1 + random.NextInt(8);
                for (int i = 0; i < flips; i++)
                {
                    int bit = random.NextInt(p.Length * 8);
                    p[bit >> 3] ^= (byte)(1 << (bit & 7));
                }

                return ($"{flips} bit flips, re-signed", Resign(p));
            case 3:
                // Overwrite a 32-bit field of the body with a value a liar would pick.
                if (p.Length >= WireHeader.Size + 4)
                {
                    int at = WireHeader.Size + random.NextInt(p.Length - WireHeader.Size - 3);
                    uint[] lies = [0, 1, 0xFFFFFFFF, 0x7FFFFFFF, (uint)random.NextUInt64(), BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(at)) + 1];
                    BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(at), lies[random.NextInt(lies.Length)]);
                }

                return ("lying 32-bit field, re-signed", Resign(p));
            case 4:
                // Random body with a correct header, so only the section parsers stand in the way.
                for (int i = WireHeader.Size; i < p.Length; i++)
                {
                    p[i] = (byte)random.NextUInt64();
                }

                return ("random body, re-signed", Resign(p));
            case 5:
                // Cut or extend the body and fix the length and checksum, so the sections disagree with it.
                int newLength = Math.Max(WireHeader.Size, p.Length + random.NextInt(21) - 10);
                byte[] resized = new byte[newLength];
                p.AsSpan(0, Math.Min(p.Length, newLength)).CopyTo(resized);
                return ("resized body, re-signed", Resign(resized));
            default:
                // Lie about the element count in the header.
                if (p.Length >= WireHeader.Size)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(8), (uint)random.NextInt(3000));
                }

                return ("lying element count, re-signed", Resign(p));
        }
    }

    private static byte[] Resign(byte[] p)
    {
        if (p.Length >= WireHeader.Size)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(12), (uint)(p.Length - WireHeader.Size));
            BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(16), WireHeader.Checksum(p));
        }

        return p;
    }

    private static void Decode(ICompressor compressor, string chain, string mutation, byte[] payload, int destinationLength)
    {
        float[] destination = new float[destinationLength];
        try
        {
            compressor.Decompress(payload, destination);
        }
        catch (FedLearnFormatException)
        {
            return;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{chain}, {mutation}: {ex.GetType().Name}: {ex.Message}\npayload {Convert.ToHexString(payload)}");
        }

        Assert.That(destination, Has.All.Matches<float>(float.IsFinite), $"{chain}, {mutation}: accepted payload decoded to a non-finite value");
    }
}
