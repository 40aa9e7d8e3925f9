using FedLearn.Transport.Grpc.Client;
using FedLearn.Transport.Grpc.Security;

namespace FedLearn.Benchmarks.Transport.Load;

/// <summary>The child process of the load scenarios: N gRPC clients (ids client-firstId onwards), each with its own connection and certificate.</summary>
internal static class ClientsCommand
{
    public static async Task<int> RunAsync(string address, string certificates, int count, int replyFloats, int firstId = 0)
    {
        var set = new DevelopmentCertificates(certificates);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        var tasks = new List<Task>();
        var transports = new List<GrpcClientTransport>();
        for (int i = firstId; i < firstId + count; i++)
        {
            string id = $"client-{i}";
            var transport = new GrpcClientTransport(LoopbackServer.ClientOptions(address, set, id));
            transports.Add(transport);
            tasks.Add(transport.RunAsync(id, new ReplyHandler(id, replyFloats), stop.Token));
        }

        await Task.WhenAll(tasks);
        transports.ForEach(t => t.Dispose());
        return 0;
    }
}
