namespace FedLearn.Samples.Shared;

/// <summary>
/// Reads the Paillier key file an app is configured with (the server's public key, a client's secret key) and checks
/// it against <c>--secure-aggregation paillier:&lt;bits&gt;</c>; every problem names the setting.
/// </summary>
internal static class PaillierKeySetting
{
    /// <summary>
    /// The key at <paramref name="path"/> when <paramref name="secure"/> is Paillier (a problem in <paramref name="errors"/>
    /// when it is missing, unreadable or of another size); <c>null</c> otherwise (and a problem when a path is set anyway).
    /// </summary>
    /// <param name="secure">The app's protocol.</param>
    /// <param name="path">The configured file.</param>
    /// <param name="setting">The configuration key, e.g. <c>FedLearn:Server:PaillierPublicKey</c>.</param>
    /// <param name="option">The command-line switch, e.g. <c>--paillier-public-key</c>.</param>
    /// <param name="what">What the file holds, e.g. <c>the federation's public key</c>.</param>
    /// <param name="read">Reads the file given the configured key size.</param>
    /// <param name="errors">Where problems go.</param>
    public static T? Read<T>(SecureAggregationSpec secure, string? path, string setting, string option, string what, Func<string, int, T> read, List<string> errors)
        where T : class
    {
        bool configured = !string.IsNullOrWhiteSpace(path);
        if (secure.Protocol != "paillier")
        {
            if (configured)
            {
                errors.Add($"{setting}: a Paillier key is configured ({path}) but secure aggregation is {secure}; set --secure-aggregation paillier:<bits> or remove {option}.");
            }

            return null;
        }

        if (!configured)
        {
            errors.Add($"{setting}: {secure} needs {what} ({option}); make a development pair with 'FedLearn.Samples.Server paillier-keys --out keys --bits {secure.KeyBits}'.");
            return null;
        }

        try
        {
            return read(path!, secure.KeyBits);
        }
        catch (Exception exception) when (exception is FedLearnFormatException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{setting}: {exception.Message}");
            return null;
        }
    }
}
