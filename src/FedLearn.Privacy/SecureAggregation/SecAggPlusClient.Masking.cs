using System.Security.Cryptography;

namespace FedLearn.Privacy.SecureAggregation;

public sealed partial class SecAggPlusClient
{
    /// <inheritdoc />
    public UpdatePayload Protect(string clientId, int round, ReadOnlySpan<float> delta, long exampleCount, ulong seed)
    {
        Expect(round, Stage.SharesReceived, "masked input");
        SecAggPlusParameters parameters = _parameters!;
        if (delta.Length != parameters.ModelLength)
        {
            throw new InvalidOperationException($"the delta has {delta.Length} values; the round was set up for {parameters.ModelLength}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exampleCount);
        int weight = (int)Math.Min(exampleCount, parameters.MaxWeight);
        var words = new uint[delta.Length + 1];

        // Stochastic rounding draws from a stream keyed by the round's seed (not secret: it only makes runs reproducible).
        byte[] roundingKey = SHA256.HashData(BitConverter.GetBytes(seed));
        using (var rounding = new MaskGenerator(roundingKey))
        {
            FixedPointQuantizer.Quantize(delta, (double)weight / parameters.MaxWeight, parameters.ClippingRange, parameters.QuantizationRange, rounding, words.AsSpan(0, delta.Length));
        }

        words[^1] = (uint)weight;
        ApplyMasks(words, _round, _index, _selfSeed!, _maskingKey!, _partners.Select(p => (p, _neighbours[p].MaskingKey)));
        uint modulusMask = parameters.ModulusMask;
        for (int i = 0; i < words.Length; i++)
        {
            words[i] &= modulusMask;
        }

        _stage = Stage.InputSent;
        int bytesPerWord = (int)Math.Ceiling(Math.Log2(parameters.Modulus) / 8);
        return new MaskedUpdatePayload(words, delta.Length, bytesPerWord);
    }

    /// <summary>
    /// Adds the self mask PRG(b) and, for each partner j, +PRG(s_ij) when j &lt; i and −PRG(s_ij) when j &gt; i (mod 2^32), so that
    /// the pairwise masks of two survivors cancel in the sum.
    /// </summary>
    internal static void ApplyMasks(Span<uint> words, int round, int index, byte[] selfSeed, ECDiffieHellman maskingKey, IEnumerable<(int Index, byte[] MaskingKey)> partners)
    {
        MaskGenerator.Apply(selfSeed, words, +1);
        foreach ((int partner, byte[] publicKey) in partners)
        {
            byte[] pairSeed = KeyAgreement.DeriveKey(maskingKey, publicKey, "mask", round);
            MaskGenerator.Apply(pairSeed, words, partner < index ? +1 : -1);
            CryptographicOperations.ZeroMemory(pairSeed);
        }
    }
}
