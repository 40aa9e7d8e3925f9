namespace FedLearn.Logging;

/// <summary>
/// The field names FedLearn puts in log scopes, so that structured logs (for example
/// <see cref="Microsoft.Extensions.Logging.FedLearnLoggingBuilderExtensions.AddFedLearnJsonConsole"/>) carry them as fields
/// a log store can filter on.
/// </summary>
public static class LogFields
{
    /// <summary>The federated round (1-based integer).</summary>
    public const string Round = "round";

    /// <summary>The client's id (string).</summary>
    public const string ClientId = "client_id";
}
