using FedLearn.Client;
using FedLearn.Transport.Grpc.Client;

namespace FedLearn.Transport.Grpc.Tests.Client;

public sealed class GrpcClientTransportTests
{
    [Test]
    public void AClientGivesUpAfterMaxConnectAttemptsNamingTheServer()
    {
        // Nothing listens on the port: every attempt is refused.
        int port = FreePort.Next();
        var options = new GrpcClientOptions
        {
            ServerAddress = $"http://localhost:{port}",
            MaxConnectAttempts = 3,
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        };
        using var transport = new GrpcClientTransport(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        ConnectFailedException? error = Assert.ThrowsAsync<ConnectFailedException>(() => new FederatedClient("ida", new ShiftTrainer(1)).RunAsync(transport, timeout.Token));

        Assert.That(error!.Message, Does.Contain($"Could not connect to http://localhost:{port} in 3 attempts in a row"));
        Assert.That(error.InnerException, Is.InstanceOf<ConnectFailedException>(), "the last attempt's failure is kept");
        Assert.That(timeout.IsCancellationRequested, Is.False, "it gave up by itself");
        Assert.That(transport.Connections, Is.Zero);
    }
}
