using FedLearn.Privacy.Flags;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Samples.Shared;

namespace FedLearn.Samples.Server;

/// <summary>
/// The server's privacy and secure-aggregation settings, parsed and checked together at start-up; every problem is
/// listed at once, each naming its setting.
/// </summary>
/// <param name="SecureAggregation">The protocol the server runs.</param>
/// <param name="Dp">The server-side DP mode (none, client, client-adaptive).</param>
/// <param name="PaillierKey">The federation's Paillier public key (<see cref="ServerSettings.PaillierPublicKey"/>) under Paillier; <c>null</c> otherwise.</param>
internal sealed record ServerPipelineOptions(SecureAggregationSpec SecureAggregation, DpFlag Dp, PaillierPublicKey? PaillierKey)
{
    private const string Prefix = "FedLearn:Server:";

    /// <summary>Reads the settings; <paramref name="problems"/> is empty when they can run.</summary>
    public static ServerPipelineOptions Read(ServerSettings settings, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        SecureAggregationSpec secure = SecureAggregationSpec.None;
        try
        {
            secure = SecureAggregationSpec.Parse(settings.SecureAggregation, insecureKeySize: settings.AllowInsecurePaillierKeySizeForTesting);
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

        if (dp.Mode == DpMode.Sample)
        {
            errors.Add($"{Prefix}Dp: --dp {settings.Dp.Trim()} is DP-SGD, which each client runs on its own records: set FedLearn:Client:Dp (--dp) on the clients and leave the server at none.");
            dp = DpFlag.None;
        }

        if (PrivacySpec.IsClientLevel(dp) && settings.TargetEpsilon is not null)
        {
            errors.Add($"{Prefix}Dp and {Prefix}TargetEpsilon both ask for client-level DP (--dp {settings.Dp.Trim()}, --target-epsilon {settings.TargetEpsilon}); set one of them.");
        }

        if (SecureAggregationSpec.CompressionConflict(settings.SecureAggregation, settings.Compression) is { } compression)
        {
            errors.Add($"{Prefix}SecureAggregation: {compression}");
        }

        if (secure.Enabled)
        {
            try
            {
                _ = secure.Protocol == "paillier"
                    ? secure.PaillierOptions(settings.Clients, settings.SecureAggregationMaxWeight)
                    : (object)secure.SecAggPlusOptions(settings.Clients, settings.SecureAggregationMaxWeight);
            }
            catch (FormatException exception)
            {
                errors.Add($"{Prefix}SecureAggregation: {exception.Message} (with {Prefix}Clients = {settings.Clients}, {Prefix}SecureAggregationMaxWeight = {settings.SecureAggregationMaxWeight})");
            }

            if (PrivacySpec.SecureAggregationConflict(dp, secure) is { } privacy)
            {
                errors.Add($"{Prefix}Dp: {privacy}");
            }

            if (settings.TargetEpsilon is not null)
            {
                errors.Add($"{Prefix}TargetEpsilon: client-level DP clips each update at the server, which {secure.Protocol} secure aggregation hides from it; use DP-SGD on the clients (FedLearn:Client:Dp sample:eps=<e>,delta=<d>,clip=<c>) or no secure aggregation.");
            }
        }

        try
        {
            _ = LearningRateScheduleSpec.Parse(settings.LrSchedule);
        }
        catch (FormatException exception)
        {
            errors.Add($"{Prefix}LrSchedule: {exception.Message}");
        }

        PaillierPublicKey? key = PaillierKeySetting.Read(secure, settings.PaillierPublicKey, $"{Prefix}PaillierPublicKey", "--paillier-public-key", "the federation's public key", (path, bits) => PaillierKeyFile.ReadPublicKey(path, bits), errors);
        problems = errors;
        return new ServerPipelineOptions(secure, dp, key);
    }
}
