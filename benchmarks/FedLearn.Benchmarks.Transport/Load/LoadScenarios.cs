using System.Diagnostics;
using System.Globalization;
using FedLearn.Transport.Grpc.Server;

namespace FedLearn.Benchmarks.Transport.Load;

/// <summary>
/// Memory and latency of one server with many clients, the clients in a child process so that the server's memory is
/// measured alone. Prints one markdown table row per measurement.
/// </summary>
internal static class LoadScenarios
{
    /// <summary><paramref name="clients"/> idle clients, then <paramref name="rounds"/> rounds of a model of <paramref name="parameters"/> floats to all of them.</summary>
    public static async Task<int> ManyClientsAsync(int clients, int parameters, int rounds, bool tls)
    {
        string directory = Directory.CreateTempSubdirectory("fedlearn-load-").FullName;
        string[] ids = Enumerable.Range(0, clients).Select(i => $"client-{i}").ToArray();
        await using LoopbackServer server = await LoopbackServer.StartAsync(directory, ids, tls);
        long baseline = MemoryProbe.Settled();
        long baselineHeap = GC.GetTotalMemory(forceFullCollection: true);
        using Process child = StartClients(server, directory, clients, parameters);
        var connect = Stopwatch.StartNew();
        await server.Transport.WaitForClientsAsync(clients, TimeSpan.FromMinutes(5), CancellationToken.None);
        Print("clients connected", $"{clients} in {connect.Elapsed.TotalSeconds:F1} s");
        await Task.Delay(TimeSpan.FromSeconds(5));
        long idle = MemoryProbe.Settled();
        long idleHeap = GC.GetTotalMemory(forceFullCollection: true);
        Print("server resident memory, no client", Mib(baseline));
        Print($"server resident memory, {clients} idle clients", Mib(idle));
        Print($"managed heap, no client / {clients} idle clients", $"{Mib(baselineHeap)} / {Mib(idleHeap)}");

        // No per-client figure here: one difference over one no-client baseline mixes the one-time cost of the first
        // connections into it. The idle-memory command measures the per-client slope.

        var weights = new ModelWeights([("w", new[] { parameters })]);
        await using (var probe = new MemoryProbe())
        {
            var latencies = new List<double>();
            for (int round = 1; round <= rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                ClientMessage[] replies = await Task.WhenAll(ids.Select(id => server.Transport.SendAsync(id, new FitInstruction(round, weights, new FitConfig { Round = round }), CancellationToken.None)));
                latencies.Add(watch.Elapsed.TotalSeconds);
                if (replies.Any(r => r is not FitReply { Update.Payload: DenseUpdatePayload { ElementCount: var n } } || n != parameters))
                {
                    throw new InvalidOperationException("A reply was not the expected dense update.");
                }
            }

            latencies.Sort();
            Print($"round latency ({clients} clients, {parameters:N0} parameters down and up), median of {rounds}", $"{latencies[latencies.Count / 2]:F2} s (min {latencies[0]:F2}, max {latencies[^1]:F2})");
            Print("server peak resident memory during the rounds", Mib(probe.Peak));
        }

        await server.Transport.ShutdownAsync("measurement done", completed: true, CancellationToken.None);
        await child.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    /// <summary>One client sends a dense update of 2^28 floats (1 GiB); the server's peak resident memory while receiving it.</summary>
    public static async Task<int> GigabyteAsync(bool tls)
    {
        const int floats = 1 << 28;
        string directory = Directory.CreateTempSubdirectory("fedlearn-gib-").FullName;
        await using LoopbackServer server = await LoopbackServer.StartAsync(directory, ["client-0"], tls);
        using Process child = StartClients(server, directory, 1, floats);
        await server.Transport.WaitForClientsAsync(1, TimeSpan.FromMinutes(2), CancellationToken.None);
        var tiny = new ModelWeights([("w", new[] { 16 })]);

        // A first small exchange warms up the connection; the client answers an evaluation with a tiny reply.
        await server.Transport.SendAsync("client-0", new EvaluateInstruction(1, tiny), CancellationToken.None);
        long before = MemoryProbe.Settled();
        ClientMessage reply;
        long peak;
        var watch = Stopwatch.StartNew();
        await using (var probe = new MemoryProbe())
        {
            reply = await server.Transport.SendAsync("client-0", new FitInstruction(1, tiny, new FitConfig { Round = 1 }), CancellationToken.None);
            peak = probe.Peak;
        }

        double seconds = watch.Elapsed.TotalSeconds;
        float[] values = ((DenseUpdatePayload)((FitReply)reply).Update.Payload).Values;
        bool intact = values.Length == floats && Enumerable.Range(0, 1000).Select(k => (int)((long)k * 268_435 % floats)).All(i => values[i] == (float)Math.Sin(i));
        Print("1 GiB update received, values intact", intact ? "yes" : "NO");
        Print("time to receive 1 GiB (one client, loopback)", $"{seconds:F1} s ({1024 / seconds:F0} MiB/s)");
        Print("server resident memory before", Mib(before));
        Print("server peak resident memory while receiving", Mib(peak));
        Print("server VmHWM (whole run)", ReadVmHwm());
        await server.Transport.ShutdownAsync("measurement done", completed: true, CancellationToken.None);
        await child.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Directory.Delete(directory, recursive: true);
        return intact ? 0 : 1;
    }

    /// <summary>Starts a child process with <paramref name="count"/> clients, ids from client-<paramref name="firstId"/> on.</summary>
    internal static Process StartClients(LoopbackServer server, string certificates, int count, int replyFloats, int firstId = 0)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(typeof(LoadScenarios).Assembly.Location);
        foreach (string argument in new[] { "clients", server.Address, certificates, count.ToString(CultureInfo.InvariantCulture), replyFloats.ToString(CultureInfo.InvariantCulture), firstId.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static string ReadVmHwm() =>
        File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "n/a" : "n/a";

    private static string Mib(long bytes) => $"{bytes / 1048576.0:F0} MiB";

    private static void Print(string what, string value) => Console.WriteLine($"| {what} | {value} |");
}
