using System.Globalization;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Privacy.SecureAggregation;

namespace FedLearn.Samples.Shared;

/// <summary>
/// The value of <c>--secure-aggregation none|secagg+:&lt;shares&gt;,&lt;threshold&gt;|paillier:&lt;bits&gt;</c>, shared by the
/// simulation and the server and client apps so the three read it the same way. Parsing is pure; every problem is a
/// <see cref="FormatException"/> whose message starts with the option name.
/// </summary>
internal sealed record SecureAggregationSpec
{
    private const string SecAggPlusPrefix = "secagg+:";
    private const string PaillierPrefix = "paillier:";

    private SecureAggregationSpec(string protocol, int shares = 0, int threshold = 0, int keyBits = 0, bool insecureKeySize = false)
    {
        Protocol = protocol;
        Shares = shares;
        Threshold = threshold;
        KeyBits = keyBits;
        InsecureKeySize = insecureKeySize;
    }

    /// <summary>No secure aggregation: the server sees every update.</summary>
    public static SecureAggregationSpec None { get; } = new("none");

    /// <summary><c>none</c>, <c>secagg+</c> or <c>paillier</c>: what server and clients must agree on.</summary>
    public string Protocol { get; }

    /// <summary>SecAgg+ neighbourhood size (<c>NumShares</c>); 0 otherwise.</summary>
    public int Shares { get; }

    /// <summary>SecAgg+ reconstruction threshold; 0 otherwise.</summary>
    public int Threshold { get; }

    /// <summary>Paillier modulus size; 0 otherwise.</summary>
    public int KeyBits { get; }

    /// <summary>Whether Paillier keys below 2048 bits are accepted (<see cref="PaillierOptions.AllowInsecureKeySizeForTesting"/>; tests only).</summary>
    public bool InsecureKeySize { get; }

    public bool Enabled => Protocol != "none";

    /// <summary>Parses the option; <c>null</c>, empty and <c>none</c> mean none.</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="option">The option's name, for messages.</param>
    /// <param name="nameSuffices">Accept a bare <c>secagg+</c> (a client app, which gets the parameters from the server).</param>
    /// <param name="insecureKeySize">Accept <c>paillier:&lt;bits&gt;</c> below 2048 (even, at least 512): for tests only.</param>
    public static SecureAggregationSpec Parse(string? text, string option = "--secure-aggregation", bool nameSuffices = false, bool insecureKeySize = false)
    {
        string flag = (text ?? string.Empty).Trim().ToLowerInvariant();
        if (flag is "none" or "")
        {
            return None;
        }

        if (nameSuffices && flag == "secagg+")
        {
            return new SecureAggregationSpec("secagg+");
        }

        if (flag.StartsWith(SecAggPlusPrefix, StringComparison.Ordinal))
        {
            string[] parts = flag[SecAggPlusPrefix.Length..].Split(',');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int shares) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int threshold))
            {
                throw new FormatException($"{option}: expected secagg+:<shares>,<threshold> (for example secagg+:5,3), got '{flag}'.");
            }

            var spec = new SecureAggregationSpec("secagg+", shares: shares, threshold: threshold);
            _ = spec.SecAggPlusOptions(clients: null, SecAggPlusDefaults.MaxWeight, option);
            return spec;
        }

        if (flag.StartsWith(PaillierPrefix, StringComparison.Ordinal) && int.TryParse(flag[PaillierPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int bits))
        {
            var spec = new SecureAggregationSpec("paillier", keyBits: bits, insecureKeySize: insecureKeySize);
            _ = spec.PaillierOptions(2, PaillierDefaults.MaxWeight, option);
            return spec;
        }

        throw new FormatException($"{option} must be none, secagg+:<shares>,<threshold> or paillier:<bits>, got '{flag}'.");
    }

    /// <summary>The problem of running this protocol with the uplink codec chain <paramref name="compression"/>, or <c>null</c>.</summary>
    public string? CompressionConflict(string? compression, string option = "--secure-aggregation") =>
        Enabled ? CompressionConflict(Protocol, compression, option) : null;

    /// <summary>
    /// As the instance method, for the raw value of the option (so that a malformed value still gets this check):
    /// any value but <c>none</c> asks for secure aggregation.
    /// </summary>
    public static string? CompressionConflict(string? secureAggregation, string? compression, string option = "--secure-aggregation") =>
        secureAggregation?.Trim().ToLowerInvariant() is { Length: > 0 } secure && secure != "none"
        && compression?.Trim() is { Length: > 0 } chain && chain != "none"
            ? $"{option} needs dense updates (masks and ciphertexts use their own fixed-point encoding); use --compression none."
            : null;

    /// <summary>The SecAgg+ settings, validated (and checked against <paramref name="clients"/> per round when given).</summary>
    public SecAggPlusOptions SecAggPlusOptions(int? clients, int maxWeight, string option = "--secure-aggregation")
    {
        var options = new SecAggPlusOptions { NumShares = Shares, ReconstructionThreshold = Threshold, MaxWeight = maxWeight };
        Validate(options, option);
        if (clients is int count && options.ValidateFor(count) is { Count: > 0 } errors)
        {
            throw new FormatException($"{option}: {string.Join(" ", errors)}");
        }

        return options;
    }

    /// <summary>The Paillier settings, validated; server and clients must build them from the same values.</summary>
    public PaillierOptions PaillierOptions(int clients, int maxWeight, string option = "--secure-aggregation")
    {
        var options = new PaillierOptions { KeyBits = KeyBits, MaxClients = Math.Max(2, clients), MaxWeight = maxWeight, AllowInsecureKeySizeForTesting = InsecureKeySize };
        Validate(options, option);
        return options;
    }

    public override string ToString() => Protocol switch
    {
        "secagg+" when Shares == 0 => "secagg+",
        "secagg+" => string.Create(CultureInfo.InvariantCulture, $"secagg+:{Shares},{Threshold}"),
        "paillier" => string.Create(CultureInfo.InvariantCulture, $"paillier:{KeyBits}"),
        _ => "none",
    };

    private static void Validate<T>(T options, string option)
        where T : class
    {
        try
        {
            Options.OptionsValidation.ThrowIfInvalid(options, typeof(T).Name);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException exception)
        {
            throw new FormatException($"{option}: {string.Join("; ", exception.Failures)}");
        }
    }
}
