using FedLearn.Client;
using FedLearn.Optimizers;
using FedLearn.Server;
using FedLearn.Transport.Grpc.Client;
using FedLearn.Transport.Grpc.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Tests.Server;

[NonParallelizable]
public sealed class GrpcServerTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task TheUnchangedServerLoopRunsRoundsOverMutualTls()
    {
        string[] ids = ["alice", "bob", "carol"];
        // This test is about the round loop, not dropouts (those have their own tests): with the fixture's 2 s dropout
        // timeout a client on a busy 2-core machine can time out, reconnect and miss that round's evaluation.
        TimeSpan dropout = TimeSpan.FromSeconds(15);
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(ids, o => o.DropoutTimeout = dropout);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var transports = ids.Select(id => new GrpcClientTransport(federation.ClientOptions(id, o => o.DropoutTimeout = dropout))).ToArray();
        Task[] clients = ids.Select((id, i) => new FederatedClient(id, new ShiftTrainer(0.25f * (i + 1))).RunAsync(transports[i], stop.Token)).ToArray();

        ModelWeights initial = Framing.MessageAssemblerTests.RandomWeights(5000, seed: 3);
        var server = new FederatedServer(
            new FederatedServerOptions { Rounds = 2, MinFitClients = 3, MinAvailableClients = 3, FractionEvaluate = 1, RoundTimeout = Wait, AvailabilityTimeout = Wait },
            federation.Transport,
            initial,
            new ServerPipeline { Aggregator = new Aggregation.FederatedAveraging(), Optimizer = new FedAvgOptimizer() });
        FederatedRunResult run = await server.RunAsync(stop.Token);

        Assert.That(run.Rounds.Select(r => r.Succeeded), Is.All.True);
        Assert.That(run.Rounds.Select(r => r.Aggregated.Order().ToArray()), Is.All.EqualTo(ids.Order().ToArray()));
        Assert.That(run.Rounds.Select(r => r.FederatedEvaluation?.ExampleCount), Is.All.EqualTo(30));
        // Equal example counts: each round moves every weight by the mean shift, 0.5.
        for (int i = 0; i < initial.Length; i += 97)
        {
            Assert.That(run.FinalWeights.Values[i], Is.EqualTo(initial.Values[i] + 1.0f).Within(1e-5));
        }

        await federation.Transport.ShutdownAsync("done", completed: true, CancellationToken.None);
        await Task.WhenAll(clients).WaitAsync(Wait);
        Assert.That(transports.Select(t => t.FederationCompleted), Is.All.True);
        Assert.That(federation.Transport.GetAvailableClients(), Is.Empty);
    }

    [Test]
    public async Task AnExtensionReplyTheServerHasNoSerializerForIsRefusedNotGuessed()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["dave"]);
        using var stop = new CancellationTokenSource(Wait);
        using var transport = new GrpcClientTransport(federation.ClientOptions("dave"), [new EchoSerializer()]);
        Task client = transport.RunAsync("dave", new EchoHandler(), stop.Token);
        await federation.Transport.WaitForClientsAsync(1, Wait, stop.Token);

        // The server has no serializer for EchoMessage: the client's reply is refused with a clear status, nothing is guessed.
        // The stream ends with UNIMPLEMENTED and the exchange fails at once: a stream that broke the protocol gets no grace period.
        Assert.That(async () => await federation.Transport.SendAsync("dave", new EvaluateInstruction(1, Framing.MessageAssemblerTests.RandomWeights(10, 1)), stop.Token),
            Throws.InstanceOf<ClientUnavailableException>());
        await stop.CancelAsync();
        await client;
    }

    [Test]
    public async Task AClientCannotConnectAsAnotherId()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["erin", "frank"]);
        using var raw = new RawFederationClient(federation.Address, RawFederationClient.Load(federation.Certificates.ClientCertificatePath("erin"), federation.Certificates.ClientKeyPath("erin")));
        await raw.HelloAsync("frank");
        Status status = await raw.ReadToEndAsync(Wait);
        Assert.That(status.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(status.Detail, Does.Contain("certificate identifies client 'erin'"));
        Assert.That(federation.Transport.GetKnownClients(), Is.Empty);
    }

    [Test]
    public async Task AReplySubmittedAsAnotherIdIsRefusedAndTheOthersAreStillServed()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["gina", "hank"]);
        using var stop = new CancellationTokenSource(Wait);
        using var honest = new GrpcClientTransport(federation.ClientOptions("hank"));
        Task honestClient = new FederatedClient("hank", new ShiftTrainer(1)).RunAsync(honest, stop.Token);
        using var raw = await ConnectRawAsync(federation, "gina");
        await federation.Transport.WaitForClientsAsync(2, Wait, stop.Token);

        Task<ClientMessage> toGina = federation.Transport.SendAsync("gina", new EvaluateInstruction(1, Framing.MessageAssemblerTests.RandomWeights(10, 1)), stop.Token);
        ServerFrame instruction = await raw.ReceiveAsync(Wait);
        await raw.SendAsync(new ClientFrame { Start = new MessageStart { ExchangeId = instruction.Start.ExchangeId, Round = 1, EvaluateReply = new EvaluateReplyHeader { ClientId = "hank", Metrics = new Protocol.EvaluationMetrics() } } });
        Status status = await raw.ReadToEndAsync(Wait);

        Assert.That(status.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(status.Detail, Does.Contain("client 'gina' tried to submit as 'hank'"));
        ClientMessage fromHank = await federation.Transport.SendAsync("hank", new EvaluateInstruction(1, Framing.MessageAssemblerTests.RandomWeights(10, 1)), stop.Token);
        Assert.That(fromHank, Is.InstanceOf<EvaluateReply>().With.Property(nameof(ClientMessage.ClientId)).EqualTo("hank"));
        Assert.That(() => toGina, Throws.InstanceOf<ClientUnavailableException>().Or.InstanceOf<OperationCanceledException>());
        await stop.CancelAsync();
        await honestClient;
    }

    [TestCase("oversized", StatusCode.ResourceExhausted, "the chunk limit is")]
    [TestCase("out-of-order", StatusCode.InvalidArgument, "expected chunk 0 but got chunk 1")]
    [TestCase("malformed", StatusCode.InvalidArgument, "dense update of 100 values but a body of 12 bytes")]
    [TestCase("oversized-total", StatusCode.ResourceExhausted, "the limit is 67108864 bytes")]
    public async Task BadChunksEndThatStreamWithAClearStatusWhileOtherClientsAreServed(string kind, StatusCode expected, string detail)
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["ivan", "judy"], o => { o.ChunkBytes = 64 << 10; o.MaxMessageBytes = 64 << 20; });
        using var stop = new CancellationTokenSource(Wait);
        using var honest = new GrpcClientTransport(federation.ClientOptions("judy", o => o.ChunkBytes = 64 << 10));
        Task honestClient = new FederatedClient("judy", new ShiftTrainer(1)).RunAsync(honest, stop.Token);
        using var raw = await ConnectRawAsync(federation, "ivan");
        await federation.Transport.WaitForClientsAsync(2, Wait, stop.Token);

        ModelWeights weights = Framing.MessageAssemblerTests.RandomWeights(300_000, 2);
        Task<ClientMessage> toIvan = federation.Transport.SendAsync("ivan", new EvaluateInstruction(1, weights), stop.Token);
        ServerFrame start = await raw.ReceiveAsync(Wait);
        ulong exchange = start.Start.ExchangeId;
        Task<ClientMessage> toJudy = federation.Transport.SendAsync("judy", new FitInstruction(1, weights, new FedLearn.FitConfig { Round = 1 }), stop.Token);
        var header = new FitReplyHeader { ClientId = "ivan", ElementCount = 100, PayloadKind = PayloadKind.Dense };
        var reply = new MessageStart { ExchangeId = exchange, Round = 1, BodyLength = 400, FitReply = header };
        switch (kind)
        {
            case "oversized":
                header.ElementCount = 100_000;
                reply.BodyLength = 400_000;
                await raw.SendAsync(new ClientFrame { Start = reply });
                await raw.SendAsync(new ClientFrame { Chunk = new Chunk { ExchangeId = exchange, Sequence = 0, Data = ByteString.CopyFrom(new byte[(64 << 10) + 4]) } });
                break;
            case "out-of-order":
                await raw.SendAsync(new ClientFrame { Start = reply });
                await raw.SendAsync(new ClientFrame { Chunk = new Chunk { ExchangeId = exchange, Sequence = 1, Data = ByteString.CopyFrom(new byte[200]) } });
                break;
            case "malformed":
                reply.BodyLength = 12;
                await raw.SendAsync(new ClientFrame { Start = reply });
                break;
            default:
                header.ElementCount = 1 << 30;
                reply.BodyLength = 4L << 30;
                await raw.SendAsync(new ClientFrame { Start = reply });
                break;
        }

        Status status = await raw.ReadToEndAsync(Wait);
        Assert.That(status.StatusCode, Is.EqualTo(expected), status.Detail);
        Assert.That(status.Detail, Does.Contain(detail));
        Assert.That(await toJudy, Is.InstanceOf<FitReply>());
        Assert.That(federation.Transport.GetAvailableClients(), Is.EquivalentTo(new[] { "judy" }));
        await stop.CancelAsync();
        await honestClient;
        Assert.That(() => toIvan, Throws.InstanceOf<ClientUnavailableException>().Or.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task ASecondSubmissionOrOneForAnotherRoundIsRejectedAndLogged()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["kate"]);
        using var stop = new CancellationTokenSource(Wait);
        using var raw = await ConnectRawAsync(federation, "kate");
        await federation.Transport.WaitForClientsAsync(1, Wait, stop.Token);
        Task<ClientMessage> exchange = federation.Transport.SendAsync("kate", new EvaluateInstruction(4, Framing.MessageAssemblerTests.RandomWeights(10, 1)), stop.Token);
        ulong id = (await raw.ReceiveAsync(Wait)).Start.ExchangeId;

        await raw.SendAsync(EvaluateReply(id, round: 3, "kate"));
        ServerFrame wrongRound = await raw.ReceiveAsync(Wait);
        Assert.That(wrongRound.Rejected.Reason, Does.Contain("a submission for round 3 to exchange " + id + ", which belongs to round 4"));
        Assert.That(exchange.IsCompleted, Is.False);

        await raw.SendAsync(EvaluateReply(id, round: 4, "kate"));
        Assert.That((await exchange).Round, Is.EqualTo(4));
        await raw.SendAsync(EvaluateReply(id, round: 4, "kate"));
        ServerFrame duplicate = await raw.ReceiveAsync(Wait);
        Assert.That(duplicate.Rejected.Reason, Does.Contain($"a second submission for exchange {id}"));
        Assert.That(federation.Transport.RejectedSubmissions, Is.EqualTo(2));
    }

    [Test]
    public async Task AClientThatReconnectsMidRoundKeepsItsIdentityAndMayStillDeliver()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["liam"]);
        using var stop = new CancellationTokenSource(Wait);
        var first = await ConnectRawAsync(federation, "liam");
        await federation.Transport.WaitForClientsAsync(1, Wait, stop.Token);
        Task<ClientMessage> exchange = federation.Transport.SendAsync("liam", new EvaluateInstruction(2, Framing.MessageAssemblerTests.RandomWeights(10, 1)), stop.Token);
        ulong id = (await first.ReceiveAsync(Wait)).Start.ExchangeId;
        first.Dispose();

        using var second = new RawFederationClient(federation.Address, RawFederationClient.Load(federation.Certificates.ClientCertificatePath("liam"), federation.Certificates.ClientKeyPath("liam")));
        await second.HelloAsync("liam");
        ServerFrame welcome = await second.ReceiveAsync(Wait);
        Assert.That(welcome.Welcome.Resumed, Is.True);
        ServerFrame again = await second.ReceiveAsync(Wait);
        Assert.That(again.Start.ExchangeId, Is.EqualTo(id));
        await second.SendAsync(EvaluateReply(id, 2, "liam"));
        Assert.That((await exchange).ClientId, Is.EqualTo("liam"));
    }

    [Test]
    public async Task AClientReconnectingWhenTheFederationEndsIsToldInsteadOfRetryingAgainstAGoneServer()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["nora", "omar"]);
        using var stop = new CancellationTokenSource(Wait);
        using (await ConnectRawAsync(federation, "nora"))
        {
            await federation.Transport.WaitForClientsAsync(1, Wait, stop.Token);
        }

        // nora's stream broke (no Goodbye): she is within her grace period when the federation ends.
        while (federation.Transport.GetAvailableClients().Count > 0)
        {
            await Task.Delay(20, stop.Token);
        }

        Task shutdown = federation.Transport.ShutdownAsync("done", completed: true, stop.Token);
        await Task.Delay(500, stop.Token);
        Assert.That(shutdown.IsCompleted, Is.False, "the server waits for the client that may still reconnect");

        using var nora = new GrpcClientTransport(federation.ClientOptions("nora"));
        await new FederatedClient("nora", new ShiftTrainer(1)).RunAsync(nora, stop.Token);
        Assert.That(nora.FederationCompleted, Is.True);
        Assert.That(nora.ShutdownReason, Is.EqualTo("done"));
        await shutdown.WaitAsync(Wait);

        // A client the federation never saw, connecting after the end, is told the same at once.
        using var omar = new GrpcClientTransport(federation.ClientOptions("omar"));
        await new FederatedClient("omar", new ShiftTrainer(1)).RunAsync(omar, stop.Token).WaitAsync(Wait);
        Assert.That(omar.FederationCompleted, Is.True);
    }

    [Test]
    public async Task ShutdownStopsWaitingForAClientThatDoesNotReconnectWhenItsTokenEnds()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["pia"]);
        using var stop = new CancellationTokenSource(Wait);
        using (await ConnectRawAsync(federation, "pia"))
        {
            await federation.Transport.WaitForClientsAsync(1, Wait, stop.Token);
        }

        while (federation.Transport.GetAvailableClients().Count > 0)
        {
            await Task.Delay(20, stop.Token);
        }

        using var notice = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Task shutdown = federation.Transport.ShutdownAsync("done", completed: true, notice.Token);
        Assert.That(async () => await shutdown.WaitAsync(Wait), Throws.Nothing);
        Assert.That(notice.IsCancellationRequested, Is.True, "it waited for pia until the token ended");
    }

    [Test]
    public async Task ASilentClientIsDroppedWithinTheDropoutTimeAndItsExchangeFailsAfterTheGracePeriod()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["mia"], o => { o.DropoutTimeout = TimeSpan.FromSeconds(1); o.ReconnectGracePeriod = TimeSpan.FromSeconds(1); });
        using var stop = new CancellationTokenSource(Wait);
        using var raw = await ConnectRawAsync(federation, "mia");
        await federation.Transport.WaitForClientsAsync(1, Wait, stop.Token);
        Task<ClientMessage> exchange = federation.Transport.SendAsync("mia", new EvaluateInstruction(1, Framing.MessageAssemblerTests.RandomWeights(10, 1)), stop.Token);

        // The raw client sends no heartbeats.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ClientUnavailableException? failure = Assert.ThrowsAsync<ClientUnavailableException>(async () => await exchange);
        Assert.That(failure!.Message, Does.Contain("dropped out"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(federation.Transport.GetAvailableClients(), Is.Empty);
    }

    [Test]
    public async Task AGigabyteUpdateStreamsBothWaysBitIdentical()
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["nora"]);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var transport = new GrpcClientTransport(federation.ClientOptions("nora", o => o.DropoutTimeout = TimeSpan.FromSeconds(30)));
        Task client = transport.RunAsync("nora", new EchoFitHandler("nora"), stop.Token);
        await federation.Transport.WaitForClientsAsync(1, Wait, stop.Token);

        const int count = 1 << 28; // 2^28 floats = 1 GiB
        var weights = new ModelWeights([("w", new[] { 1 << 14, 1 << 14 })]);
        new Random(11).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.AsSpan()));
        Assert.That(weights.Length, Is.EqualTo(count));

        var reply = (FitReply)await federation.Transport.SendAsync("nora", new FitInstruction(1, weights, new FedLearn.FitConfig { Round = 1 }), stop.Token);

        float[] echoed = ((DenseUpdatePayload)reply.Update.Payload).Values;
        Assert.That(echoed, Is.Not.SameAs(weights.Values));
        Assert.That(System.Runtime.InteropServices.MemoryMarshal.AsBytes(echoed.AsSpan()).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.AsSpan())), Is.True);
        Assert.That(federation.Transport.BytesReceived, Is.EqualTo(1L << 30));
        await stop.CancelAsync();
        await client;
    }

    private static async Task<RawFederationClient> ConnectRawAsync(LoopbackFederation federation, string id)
    {
        var raw = new RawFederationClient(federation.Address, RawFederationClient.Load(federation.Certificates.ClientCertificatePath(id), federation.Certificates.ClientKeyPath(id)));
        await raw.HelloAsync(id);
        ServerFrame welcome = await raw.ReceiveAsync(Wait);
        Assert.That(welcome.Welcome.ClientId, Is.EqualTo(id));
        return raw;
    }

    private static ClientFrame EvaluateReply(ulong id, int round, string clientId) =>
        new() { Start = new MessageStart { ExchangeId = id, Round = round, EvaluateReply = new EvaluateReplyHeader { ClientId = clientId, Metrics = new Protocol.EvaluationMetrics { Loss = 1, Accuracy = 0.5, ExampleCount = 3 } } } };

    private sealed class EchoHandler : IClientMessageHandler
    {
        public Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken) =>
            Task.FromResult<ClientMessage>(new EchoMessage("dave", message.Round, "hello"));
    }

    /// <summary>Sends the received weights straight back as a dense update: what arrives at the server must equal what it sent.</summary>
    private sealed class EchoFitHandler(string clientId) : IClientMessageHandler
    {
        public Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken)
        {
            var fit = (FitInstruction)message;
            return Task.FromResult<ClientMessage>(new FitReply(new ClientUpdate(clientId, fit.Round, 1, new DenseUpdatePayload(fit.Weights.Values), new FedLearn.TrainingMetrics(0, 0, 1, 0, TimeSpan.Zero))));
        }
    }
}
