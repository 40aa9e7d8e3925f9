using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using FedLearn.Transport.Grpc.Client;
using FedLearn.Transport.Grpc.Server;

namespace FedLearn.Benchmarks.Transport.Throughput;

/// <summary>
/// One 256 MiB model over loopback: down to a client as an instruction and up from a client as a dense update, over
/// gRPC with mutual TLS 1.3 and over plaintext HTTP/2, against raw loopback TCP (4 MiB writes, one ack) as the baseline
/// and a TLS 1.3 stream over loopback (same writes, same certificate) as what TLS alone costs; the mTLS upload also
/// runs against a server that keeps Kestrel's 4 KiB TLS reads, for comparison with the 64 KiB reads. Server, clients and
/// readers are all in this process. Throughput is 256 MiB divided by the time per operation. A last case does only
/// the record cryptography any TLS 1.3 transport must do for the 256 MiB (AES-256-GCM, the cipher suite the TLS
/// stream negotiates here, encrypt then decrypt in 16 KiB records, no sockets): the compute floor of TLS on this machine.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class LargeUpdateThroughputBenchmarks
{
    private const int Floats = 64 << 20;
    private const int Chunk = 4 << 20;
    private readonly CancellationTokenSource _stop = new();
    private string _directory = string.Empty;
    private LoopbackServer _tls = null!;
    private LoopbackServer _tlsSmallReads = null!;
    private LoopbackServer _plain = null!;
    private ModelWeights _model = null!;
    private ModelWeights _tiny = null!;
    private TcpListener _listener = null!;
    private NetworkStream _rawClient = null!;
    private Task _rawServer = Task.CompletedTask;
    private byte[] _rawBuffer = [];
    private SslStream _tlsClient = null!;
    private Task _tlsServer = Task.CompletedTask;
    private RecordCipher _cipher = null!;

    /// <summary>Transport settings other than the defaults, for experiments run with the probe command.</summary>
    internal (int? ConnectionWindow, int? StreamWindow, int? ChunkBytes) Settings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("fedlearn-throughput-").FullName;
        string[] ids = ["down", "up"];
        (int? connectionWindow, int? streamWindow, int? chunkBytes) = Settings;
        void Configure(GrpcServerOptions o)
        {
            o.Http2ConnectionWindowBytes = connectionWindow ?? o.Http2ConnectionWindowBytes;
            o.Http2StreamWindowBytes = streamWindow ?? o.Http2StreamWindowBytes;
            o.ChunkBytes = chunkBytes ?? o.ChunkBytes;
        }

        _tls = LoopbackServer.StartAsync(Path.Combine(_directory, "tls"), ids, tls: true, configure: Configure).GetAwaiter().GetResult();
        _plain = LoopbackServer.StartAsync(Path.Combine(_directory, "plain"), ids, tls: false, configure: Configure).GetAwaiter().GetResult();
        _tlsSmallReads = LoopbackServer.StartAsync(Path.Combine(_directory, "tls-4k"), ids, tls: true, configure: Configure, largeTlsReads: false).GetAwaiter().GetResult();
        foreach (LoopbackServer server in new[] { _tls, _plain, _tlsSmallReads })
        {
            foreach (string id in ids)
            {
                GrpcClientOptions options = LoopbackServer.ClientOptions(server.Address, server.Certificates, id);
                options.Http2StreamWindowBytes = streamWindow ?? options.Http2StreamWindowBytes;
                options.ChunkBytes = chunkBytes ?? options.ChunkBytes;
                var transport = new GrpcClientTransport(options);
                _ = transport.RunAsync(id, new ReplyHandler(id, id == "up" ? Floats : 0), _stop.Token);
            }

            server.Transport.WaitForClientsAsync(2, TimeSpan.FromMinutes(2), CancellationToken.None).GetAwaiter().GetResult();
        }

        _model = new ModelWeights([("w", new[] { Floats })]);
        new Random(1).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_model.AsSpan()));
        _tiny = new ModelWeights([("w", new[] { 16 })]);

        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var client = new TcpClient { NoDelay = true };
        client.Connect((IPEndPoint)_listener.LocalEndpoint);
        Socket accepted = _listener.AcceptSocket();
        _rawClient = client.GetStream();
        _rawBuffer = new byte[Chunk];
        _rawServer = Task.Run(() => DrainAsync(new NetworkStream(accepted, ownsSocket: true)));

        // TLS 1.3 over loopback with the federation's server certificate: what any TLS stream costs on this machine.
        using X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(_tls.Certificates.ServerCertificatePath, _tls.Certificates.ServerKeyPath);
        var tlsClient = new TcpClient { NoDelay = true };
        tlsClient.Connect((IPEndPoint)_listener.LocalEndpoint);
        var tlsServer = new SslStream(new NetworkStream(_listener.AcceptSocket(), ownsSocket: true));
        _tlsClient = new SslStream(tlsClient.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        Task serverHandshake = tlsServer.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls13 });
        _tlsClient.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = SslProtocols.Tls13 });
        serverHandshake.GetAwaiter().GetResult();
        _tlsServer = Task.Run(() => DrainAsync(tlsServer));
        Console.WriteLine($"// TLS stream cipher suite: {_tlsClient.NegotiatedCipherSuite}");
        _cipher = new RecordCipher(_tlsClient.NegotiatedCipherSuite);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _rawClient.Dispose();
        _tlsClient.Dispose();
        _cipher.Dispose();
        _listener.Stop();
        _tls.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _plain.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _tlsSmallReads.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw TCP, 256 MiB")]
    public Task RawTcp() => SendAndAwaitAckAsync(_rawClient, _rawBuffer);

    [Benchmark(Description = "TLS 1.3 stream, 256 MiB")]
    public Task TlsStream() => SendAndAwaitAckAsync(_tlsClient, _rawBuffer);

    [Benchmark(Description = "gRPC mTLS down, 256 MiB")]
    public Task<ClientMessage> GrpcTlsDown() => _tls.Transport.SendAsync("down", new EvaluateInstruction(1, _model), CancellationToken.None);

    [Benchmark(Description = "gRPC mTLS up, 256 MiB")]
    public Task<ClientMessage> GrpcTlsUp() => _tls.Transport.SendAsync("up", new FitInstruction(1, _tiny, new FitConfig { Round = 1 }), CancellationToken.None);

    [Benchmark(Description = "gRPC mTLS up, Kestrel's 4 KiB TLS reads, 256 MiB")]
    public Task<ClientMessage> GrpcTlsUpSmallReads() => _tlsSmallReads.Transport.SendAsync("up", new FitInstruction(1, _tiny, new FitConfig { Round = 1 }), CancellationToken.None);

    [Benchmark(Description = "gRPC h2c down, 256 MiB")]
    public Task<ClientMessage> GrpcPlainDown() => _plain.Transport.SendAsync("down", new EvaluateInstruction(1, _model), CancellationToken.None);

    [Benchmark(Description = "gRPC h2c up, 256 MiB")]
    public Task<ClientMessage> GrpcPlainUp() => _plain.Transport.SendAsync("up", new FitInstruction(1, _tiny, new FitConfig { Round = 1 }), CancellationToken.None);

    [Benchmark(Description = "AES-GCM records only (encrypt + decrypt), 256 MiB")]
    public void RecordCryptography()
    {
        long total = (long)Floats * sizeof(float);
        for (long done = 0; done < total; done += Chunk)
        {
            _cipher.EncryptThenDecrypt(_rawBuffer.AsSpan(0, (int)Math.Min(Chunk, total - done)));
        }
    }

    private static async Task SendAndAwaitAckAsync(Stream stream, byte[] buffer)
    {
        long total = (long)Floats * sizeof(float);
        for (long sent = 0; sent < total; sent += Chunk)
        {
            await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(Chunk, total - sent)));
        }

        // The reader acknowledges the last byte, so the time covers delivery, not just buffering.
        int ack = await stream.ReadAsync(buffer.AsMemory(0, 1));
        if (ack != 1)
        {
            throw new InvalidOperationException("The reader closed.");
        }
    }

    private static async Task DrainAsync(Stream stream)
    {
        long total = (long)Floats * sizeof(float);
        byte[] buffer = new byte[Chunk];
        try
        {
            while (true)
            {
                long received = 0;
                while (received < total)
                {
                    int read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        return;
                    }

                    received += read;
                }

                await stream.WriteAsync(buffer.AsMemory(0, 1));
            }
        }
        catch (IOException)
        {
            // Closed at cleanup.
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }
}
