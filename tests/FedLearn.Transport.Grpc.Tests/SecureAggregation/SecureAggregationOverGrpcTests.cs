using FedLearn.Aggregation;
using FedLearn.Client;
using FedLearn.Optimizers;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.Privacy.SecureAggregation.Wire;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Transport.Grpc.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FedLearn.Transport.Grpc.Tests.SecureAggregation;

/// <summary>
/// SecAgg+ and Paillier over the real gRPC transport with mutual TLS on loopback: the stages and the masked or encrypted
/// training replies cross the network through the registered serializer, and the aggregate equals plain FedAvg (computed
/// in closed form from the trainers' shifts and example counts) within the fixed-point quantization error.
/// </summary>
[NonParallelizable]
public sealed class SecureAggregationOverGrpcTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private const int MaxWeight = 100;

    // Clipping 8 and quantization 2^22 (the defaults of both protocols): one fixed-point step is 16 / 2^22 ≈ 3.8e-6 of a
    // weighted value.
    private const double QuantizationStep = 2 * 8.0 / (1 << 22);

    [Test]
    public async Task A_secagg_plus_round_over_grpc_equals_plain_fedavg()
    {
        string[] ids = ["ada", "ben", "cleo", "dan", "eve"];
        float[] shifts = [0.5f, -0.25f, 1.0f, 0.125f, -0.75f];
        long[] examples = [10, 20, 30, 40, 50];
        FederatedRunResult run = await RunAsync(ids, shifts, examples, dropping: null, SecAggPlus(), _ => new SecAggPlusClient());

        RoundResult round = run.Rounds.Single();
        Assert.That(round.Succeeded, Is.True, round.FailureReason);
        Assert.That(round.Aggregated.Order(), Is.EqualTo(ids.Order()));
        AssertFedAvg(run, shifts, examples, Enumerable.Range(0, ids.Length));
    }

    [Test]
    public async Task A_client_that_drops_after_key_sharing_is_recovered_over_grpc()
    {
        string[] ids = ["fay", "gus", "hal", "ivy", "jon"];
        float[] shifts = [0.5f, -0.25f, 1.0f, 0.125f, -0.75f];
        long[] examples = [10, 20, 30, 40, 50];
        const int Dropping = 2;
        FederatedRunResult run = await RunAsync(ids, shifts, examples, dropping: Dropping, SecAggPlus(), _ => new SecAggPlusClient());

        RoundResult round = run.Rounds.Single();
        Assert.That(round.Succeeded, Is.True, round.FailureReason);
        Assert.That(round.Aggregated.Order(), Is.EqualTo(ids.Where((_, i) => i != Dropping).Order()));
        Assert.That(round.Failures.Select(f => f.ClientId), Does.Contain(ids[Dropping]));
        // The dropped client's pairwise masks were removed from the survivors' shares: the sum is the survivors' FedAvg.
        AssertFedAvg(run, shifts, examples, Enumerable.Range(0, ids.Length).Where(i => i != Dropping));
    }

    [Test]
    public async Task A_paillier_round_over_grpc_with_2048_bit_keys_equals_plain_fedavg()
    {
        string[] ids = ["kim", "lea", "max", "ned"];
        float[] shifts = [0.5f, -0.25f, 1.0f, 0.125f];
        long[] examples = [10, 20, 30, 40];
        // The clients hold the private key; the server only the public one.
        PaillierPrivateKey key = PaillierPrivateKey.Generate(2048);
        var options = new PaillierOptions { KeyBits = 2048, MaxClients = 8, MaxWeight = MaxWeight };
        using var server = new PaillierSecureAggregation(key.PublicKey, options);
        FederatedRunResult run = await RunAsync(ids, shifts, examples, dropping: null, server, _ => new PaillierAggregationClient(key, options));

        RoundResult round = run.Rounds.Single();
        Assert.That(round.Succeeded, Is.True, round.FailureReason);
        Assert.That(round.Aggregated.Order(), Is.EqualTo(ids.Order()));
        AssertFedAvg(run, shifts, examples, Enumerable.Range(0, ids.Length));
    }

    private static SecAggPlusServer SecAggPlus() => new(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3, MaxWeight = MaxWeight });

    private static async Task<FederatedRunResult> RunAsync(string[] ids, float[] shifts, long[] examples, int? dropping, ISecureAggregationProtocol secure, Func<int, ISecureAggregationClient> clientSide)
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(
            ids,
            // A client whose stream broke is waited for this long before the round goes on without it.
            options => options.ReconnectGracePeriod = TimeSpan.FromSeconds(1),
            services => services.AddSecureAggregation());
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var dropped = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var transports = ids.Select(id => new GrpcClientTransport(federation.ClientOptions(id), [new SecureAggregationMessageSerializer()])).ToArray();
        ISecureAggregationClient[] secureClients = [.. ids.Select((_, i) => clientSide(i))];
        try
        {
            Task[] clients = ids.Select((id, i) =>
            {
                var pipeline = new ClientPipeline { SecureAggregation = secureClients[i] };
                ILocalTrainer trainer = i == dropping
                    ? new DisconnectingTrainer(dropped)
                    : new ShiftTrainer(shifts[i], examples[i]);
                return new FederatedClient(id, trainer, pipeline).RunAsync(transports[i], i == dropping ? dropped.Token : stop.Token);
            }).ToArray();

            var server = new FederatedServer(
                new FederatedServerOptions
                {
                    Rounds = 1,
                    MinFitClients = ids.Length - 1,
                    MinAvailableClients = ids.Length,
                    FractionEvaluate = 0,
                    RoundTimeout = Wait,
                    AvailabilityTimeout = Wait,
                },
                federation.Transport,
                Initial(),
                new ServerPipeline
                {
                    Aggregator = new FederatedAveraging(),
                    Optimizer = new FedAvgOptimizer(),
                    SecureAggregation = secure,
                });
            FederatedRunResult run = await server.RunAsync(stop.Token);

            await federation.Transport.ShutdownAsync("done", completed: true, CancellationToken.None);
            await Task.WhenAll(clients.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Wait);
            return run;
        }
        finally
        {
            foreach (GrpcClientTransport transport in transports)
            {
                transport.Dispose();
            }

            foreach (IDisposable disposable in secureClients.OfType<IDisposable>())
            {
                disposable.Dispose();
            }
        }
    }

    private static ModelWeights Initial() => Framing.MessageAssemblerTests.RandomWeights(3000, seed: 11);

    private static void AssertFedAvg(FederatedRunResult run, float[] shifts, long[] examples, IEnumerable<int> contributors)
    {
        int[] used = [.. contributors];
        double totalExamples = used.Sum(i => (double)examples[i]);
        double mean = used.Sum(i => shifts[i] * examples[i]) / totalExamples;
        // Each client's weighted delta (weight = examples / MaxWeight) is off by less than one step after stochastic
        // rounding; the sum is divided by the total weight. Plus float32 rounding of the final weights.
        double tolerance = (used.Length * QuantizationStep * MaxWeight / totalExamples) + 1e-6;
        ModelWeights initial = Initial();
        double worst = 0;
        for (int i = 0; i < initial.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(run.FinalWeights.Values[i] - (initial.Values[i] + mean)));
        }

        Assert.That(worst, Is.LessThan(tolerance), $"FedAvg moves every weight by {mean}; quantization allows {tolerance}");
    }

    /// <summary>A device that goes offline when asked to train: after the key-sharing stages, before its masked input.</summary>
    private sealed class DisconnectingTrainer(CancellationTokenSource connection) : ILocalTrainer
    {
        public async Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FedLearn.FitConfig config, CancellationToken cancellationToken)
        {
            await connection.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public Task<FedLearn.EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) =>
            throw new IOException("the device is offline");
    }
}
