using FedLearn.Privacy.HomomorphicEncryption;

namespace FedLearn.Privacy.Tests.HomomorphicEncryption;

/// <summary>Keys generated once per test run: 768-bit keys keep the tests quick (real use takes 2048 or 3072).</summary>
internal static class TestKeys
{
    private static readonly Lazy<PaillierPrivateKey> Small = new(() => PaillierPrivateKey.Generate(768, ManagedBigIntegerMath.Instance));

    public static PaillierPrivateKey Key768 => Small.Value;

    public static PaillierOptions Options(bool packing = true, int maxClients = 16) => new()
    {
        KeyBits = 768,
        AllowInsecureKeySizeForTesting = true,
        Packing = packing,
        MaxClients = maxClients,
        QuantizationRange = 1 << 16,
        MaxWeight = 1000,
    };

    public static IEnumerable<IBigIntegerMath> Backends()
    {
        yield return ManagedBigIntegerMath.Instance;
        if (GmpBigIntegerMath.IsAvailable)
        {
            yield return new GmpBigIntegerMath();
        }
    }
}
