namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>Default settings of Paillier aggregation (<see cref="PaillierOptions"/>).</summary>
public static class PaillierDefaults
{
    /// <summary>Modulus size: 2048 bits.</summary>
    public const int KeyBits = 2048;

    /// <summary>Clip of each weighted coordinate: 8.0, as SecAgg+.</summary>
    public const double ClippingRange = 8.0;

    /// <summary>Quantization levels: 2^22, as SecAgg+.</summary>
    public const long QuantizationRange = 1L << 22;

    /// <summary>Most clients one sum may hold (sizes the padding bits): 1024.</summary>
    public const int MaxClients = 1024;

    /// <summary>Cap on example counts as weights: 10 000.</summary>
    public const int MaxWeight = 10_000;
}
