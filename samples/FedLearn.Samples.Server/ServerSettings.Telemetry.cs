namespace FedLearn.Samples.Server;

/// <summary>The server's telemetry settings.</summary>
public sealed partial class ServerSettings
{
    /// <summary>
    /// Most distinct client ids the server exports per-client training metrics for (<c>fedlearn_client_training_*</c>,
    /// label <c>client_id</c>); further clients are left out of them (logged once). 0 exports none. Default 100.
    /// </summary>
    public int PerClientMetricsLimit { get; set; } = FedLearn.Server.ServerDefaults.PerClientMetricsLimit;
}
