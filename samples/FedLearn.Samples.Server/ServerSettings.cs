namespace FedLearn.Samples.Server;

/// <summary>
/// The server's settings, bound from the <c>FedLearn:Server</c> section (appsettings.json, <c>FEDLEARN_</c> environment
/// variables, command line). Names match the simulation sample's options where they mean the same thing.
/// </summary>
public sealed partial class ServerSettings
{
    public const string Section = "FedLearn:Server";

    /// <summary>Clients that must be connected before a round starts (the simulation's --clients).</summary>
    public int Clients { get; set; } = 3;

    /// <summary>Least updates a round needs (quorum).</summary>
    public int MinClients { get; set; } = 2;

    public int Rounds { get; set; } = 10;

    public double Fraction { get; set; } = 1.0;

    public int LocalEpochs { get; set; } = 1;

    public int BatchSize { get; set; } = 32;

    public double? Lr { get; set; }

    /// <summary>How the client learning rate changes over the rounds: <c>constant</c>, or <c>cosine</c> from <see cref="Lr"/> in round 1 down to near 0 in the last.</summary>
    public string LrSchedule { get; set; } = "constant";

    public string Model { get; set; } = "mlp";

    public string Optimizer { get; set; } = "adam";

    public ulong Seed { get; set; } = 42;

    public string? DataDir { get; set; }

    public string ServerOptimizer { get; set; } = "fedavg";

    public double? ServerLr { get; set; }

    public int EvaluateEvery { get; set; } = 1;

    public double FractionEvaluate { get; set; }

    public string? CheckpointDir { get; set; }

    public string Compression { get; set; } = "none";

    /// <summary>
    /// Secure aggregation, as the simulation's <c>--secure-aggregation</c>: <c>none</c> | <c>secagg+:&lt;shares&gt;,&lt;threshold&gt;</c>
    /// | <c>paillier:&lt;bits&gt;</c> (the server then sees only the sum of the updates). Every client must be set to
    /// the same protocol: SecAgg+ clients need no parameters (the server sends them); Paillier clients name the same
    /// key size and hold the secret key that matches <see cref="PaillierPublicKey"/>.
    /// </summary>
    public string SecureAggregation { get; set; } = "none";

    /// <summary>
    /// The federation's Paillier public key file (<c>fedlearn.paillier.public-key</c>, made with the <c>paillier-keys</c>
    /// command); needed with <see cref="SecureAggregation"/> <c>paillier:&lt;bits&gt;</c>, refused otherwise. Never
    /// give the server the secret key: it would decrypt every client's update.
    /// </summary>
    public string? PaillierPublicKey { get; set; }

    /// <summary>
    /// Accept <c>paillier:&lt;bits&gt;</c> below 2048 bits (even, at least 512), which anyone can factor: for tests only,
    /// so that a test federation can encrypt a real model in reasonable time.
    /// </summary>
    public bool AllowInsecurePaillierKeySizeForTesting { get; set; }

    /// <summary>
    /// Under secure aggregation, example counts above this are capped when they weight an update (the weight travels as
    /// an exact integer inside the masked or encrypted sum); set it to the largest client's training-set size. Paillier
    /// clients get it from the server.
    /// </summary>
    public int SecureAggregationMaxWeight { get; set; } = Privacy.SecureAggregation.SecAggPlusDefaults.MaxWeight;

    /// <summary>
    /// Server-side differential privacy, as the simulation's <c>--dp</c>: <c>none</c> | <c>client:noise=&lt;z&gt;,clip=&lt;c&gt;</c> |
    /// <c>client-adaptive:noise=&lt;z&gt;,quantile=&lt;q&gt;</c> (client-level DP-FedAvg, ε at δ = 1e-5). DP-SGD
    /// (<c>sample:…</c>) is set on the clients instead.
    /// </summary>
    public string Dp { get; set; } = "none";

    /// <summary>Client-level differential privacy: the ε the whole run may spend (DP-FedAvg with server-side clipping); none when empty.</summary>
    public double? TargetEpsilon { get; set; }

    /// <summary>The δ of the privacy guarantee (used with <see cref="TargetEpsilon"/>, and for the ε the server reports for DP-SGD clients).</summary>
    public double Delta { get; set; } = 1e-5;

    /// <summary>The L2 norm every client's update is clipped to (used with <see cref="TargetEpsilon"/>).</summary>
    public double ClippingNorm { get; set; } = 1.0;

    public int? Threads { get; set; }

    /// <summary>Folder for summary.json and model.safetensors; none when empty.</summary>
    public string? Output { get; set; }

    /// <summary>Where to record the federation in MLflow: a folder (file store, e.g. mlruns) or a tracking server URL; none when empty.</summary>
    public string? Tracking { get; set; }

    /// <summary>gRPC port (HTTP/2, TLS).</summary>
    public int Port { get; set; } = 50051;

    /// <summary>Management port: /metrics and /healthz (HTTP/1.1, plaintext).</summary>
    public int ManagementPort { get; set; } = 9464;

    public string Certificate { get; set; } = "certs/server.crt";

    public string? Key { get; set; } = "certs/server.key";

    public string CaCertificate { get; set; } = "certs/ca.crt";

    /// <summary>Serve gRPC without TLS (development only; client ids are then believed).</summary>
    public bool Plaintext { get; set; }

    public double RoundTimeoutSeconds { get; set; } = 600;

    /// <summary>After the quorum answered, wait this long for the others; negative waits for all until the round timeout.</summary>
    public double StragglerGraceSeconds { get; set; } = -1;

    public double AvailabilityTimeoutSeconds { get; set; } = 600;

    public int ChunkBytes { get; set; } = 4 << 20;

    public long MaxMessageBytes { get; set; } = 2L << 30;

    public double HeartbeatSeconds { get; set; } = 5;

    public double DropoutSeconds { get; set; } = 20;

    public double ReconnectGraceSeconds { get; set; } = 30;

    /// <summary>On SIGTERM, how long the running round may take to finish before it is cancelled.</summary>
    public double ShutdownGraceSeconds { get; set; } = 20;
}
