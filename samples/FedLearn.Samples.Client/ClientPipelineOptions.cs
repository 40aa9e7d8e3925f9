using FedLearn.Privacy.Flags;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Samples.Shared;

namespace FedLearn.Samples.Client;

/// <summary>
/// The client's privacy and secure-aggregation settings, parsed and checked together at start-up; every problem is
/// listed at once, each naming its setting.
/// </summary>
/// <param name="SecureAggregation">The protocol the client expects the server to run.</param>
/// <param name="Dp">The client's DP mode (none or sample).</param>
/// <param name="PaillierKey">The federation's Paillier secret key (<see cref="ClientSettings.PaillierSecretKey"/>) under Paillier; <c>null</c> otherwise.</param>
internal sealed record ClientPipelineOptions(SecureAggregationSpec SecureAggregation, DpFlag Dp, PaillierPrivateKey? PaillierKey)
{
    private const string Prefix = "FedLearn:Client:";

    /// <summary>Reads the settings; <paramref name="problems"/> is empty when they can run.</summary>
    public static ClientPipelineOptions Read(ClientSettings settings, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        SecureAggregationSpec secure = SecureAggregationSpec.None;
        try
        {
            secure = SecureAggregationSpec.Parse(settings.SecureAggregation, nameSuffices: true, insecureKeySize: settings.AllowInsecurePaillierKeySizeForTesting);
        }
        catch (FormatException exception)
        {
            errors.Add($"{Prefix}SecureAggregation: {exception.Message}");
        }

        DpFlag dp = DpFlag.None;
        try
        {
            dp = PrivacySpec.Parse(settings.Dp);
        }
        catch (FormatException exception)
        {
            errors.Add($"{Prefix}Dp: {exception.Message}");
        }

        if (PrivacySpec.IsClientLevel(dp))
        {
            errors.Add($"{Prefix}Dp: --dp {settings.Dp.Trim()} is client-level DP-FedAvg, which the server runs on the updates it receives: set FedLearn:Server:Dp (--dp) on the server and leave the clients at none.");
            dp = DpFlag.None;
        }

        if (SecureAggregationSpec.CompressionConflict(settings.SecureAggregation, settings.Compression) is { } compression)
        {
            errors.Add($"{Prefix}SecureAggregation: {compression}");
        }

        if (dp.Mode == DpMode.Sample && settings.Model is not ("mlp" or "cnn"))
        {
            errors.Add($"{Prefix}Dp: DP-SGD needs a TorchSharp model (cnn or mlp), not '{settings.Model}'.");
        }

        PaillierPrivateKey? key = PaillierKeySetting.Read(secure, settings.PaillierSecretKey, $"{Prefix}PaillierSecretKey", "--paillier-secret-key", "the federation's secret key", (path, bits) => PaillierKeyFile.ReadSecretKey(path, bits), errors);
        if (settings.MaxConnectAttempts < 0)
        {
            errors.Add($"{Prefix}MaxConnectAttempts: --max-connect-attempts must be 0 (retry forever) or more, got {settings.MaxConnectAttempts}.");
        }

        problems = errors;
        return new ClientPipelineOptions(secure, dp, key);
    }
}
