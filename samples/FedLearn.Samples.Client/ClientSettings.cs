namespace FedLearn.Samples.Client;

/// <summary>
/// The client's settings, bound from the <c>FedLearn:Client</c> section (appsettings.json, <c>FEDLEARN_</c> environment
/// variables, command line). Names match the simulation sample's options where they mean the same thing.
/// </summary>
public sealed partial class ClientSettings
{
    public const string Section = "FedLearn:Client";

    /// <summary>This client's id; it must be the id in its certificate.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Which partition of the data this client holds, from 0 to <see cref="Clients"/> − 1.</summary>
    public int ClientIndex { get; set; }

    /// <summary>Number of partitions the data is split into (the simulation's --clients).</summary>
    public int Clients { get; set; } = 3;

    public string Partition { get; set; } = "iid";

    public int? TrainSubset { get; set; }

    public ulong Seed { get; set; } = 42;

    public string? DataDir { get; set; }

    public string Model { get; set; } = "mlp";

    public string Optimizer { get; set; } = "adam";

    public string Compression { get; set; } = "none";

    /// <summary>
    /// Secure aggregation, as the simulation's <c>--secure-aggregation</c>: <c>none</c> or the server's protocol
    /// (<c>secagg+</c>, optionally with the server's <c>:&lt;shares&gt;,&lt;threshold&gt;</c>, which the client does not need:
    /// the server sends the parameters; or the server's <c>paillier:&lt;bits&gt;</c> with <see cref="PaillierSecretKey"/>).
    /// It must match the server's; needs <see cref="Compression"/> none.
    /// </summary>
    public string SecureAggregation { get; set; } = "none";

    /// <summary>
    /// The federation's Paillier secret key file (<c>fedlearn.paillier.secret-key</c>, made with the server's
    /// <c>paillier-keys</c> command; keep it readable by the client only); needed with <see cref="SecureAggregation"/>
    /// <c>paillier:&lt;bits&gt;</c>, refused otherwise. The server checks before training that it belongs to its public key.
    /// </summary>
    public string? PaillierSecretKey { get; set; }

    /// <summary>
    /// Accept <c>paillier:&lt;bits&gt;</c> below 2048 bits (even, at least 512), which anyone can factor: for tests only,
    /// so that a test federation can encrypt a real model in reasonable time.
    /// </summary>
    public bool AllowInsecurePaillierKeySizeForTesting { get; set; }

    /// <summary>
    /// Differential privacy on this client, as the simulation's <c>--dp</c>: <c>none</c> | <c>sample:eps=&lt;e&gt;,delta=&lt;d&gt;,clip=&lt;c&gt;</c>
    /// (DP-SGD on the local records, its noise calibrated to the server's rounds, local epochs and batch size).
    /// Client-level DP (<c>client:…</c>, <c>client-adaptive:…</c>) is set on the server instead.
    /// </summary>
    public string Dp { get; set; } = "none";

    public int Threads { get; set; } = 1;

    /// <summary>The server's gRPC address.</summary>
    public string Server { get; set; } = "https://localhost:50051";

    public string Certificate { get; set; } = "certs/client.crt";

    public string? Key { get; set; } = "certs/client.key";

    public string CaCertificate { get; set; } = "certs/ca.crt";

    /// <summary>Management port: /metrics and /healthz; 0 picks a free loopback port.</summary>
    public int ManagementPort { get; set; } = 9465;

    /// <summary>Folder where the client keeps its state across restarts (error-feedback residuals); none when empty.</summary>
    public string? StateDir { get; set; }

    public int ChunkBytes { get; set; } = 4 << 20;

    public long MaxMessageBytes { get; set; } = 2L << 30;

    public double HeartbeatSeconds { get; set; } = 5;

    public double DropoutSeconds { get; set; } = 20;

    public double ReconnectDelaySeconds { get; set; } = 1;

    public double MaxReconnectDelaySeconds { get; set; } = 30;

    /// <summary>Failed connection attempts in a row before the client gives up and exits with code 1; 0 retries forever.</summary>
    public int MaxConnectAttempts { get; set; }
}
