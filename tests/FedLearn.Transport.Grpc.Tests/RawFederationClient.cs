using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace FedLearn.Transport.Grpc.Tests;

/// <summary>A hand-driven client on the generated stub, to send frames a well-behaved client never sends.</summary>
internal sealed class RawFederationClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public RawFederationClient(string address, X509Certificate2? clientCertificate, X509Certificate2Collection? trustedCa = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
        };
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true, MaxReceiveMessageSize = 64 << 20 });
        Call = new Federation.FederationClient(_channel).Connect();
    }

    public AsyncDuplexStreamingCall<ClientFrame, ServerFrame> Call { get; }

    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public Task SendAsync(ClientFrame frame) => Call.RequestStream.WriteAsync(frame);

    public Task HelloAsync(string clientId) => SendAsync(new ClientFrame { Hello = new Hello { ClientId = clientId, ProtocolVersion = 1 } });

    /// <summary>The next frame other than a heartbeat or a body chunk.</summary>
    public async Task<ServerFrame> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await Call.ResponseStream.MoveNext(cts.Token).ConfigureAwait(false))
        {
            if (Call.ResponseStream.Current.BodyCase is not (ServerFrame.BodyOneofCase.Heartbeat or ServerFrame.BodyOneofCase.Chunk))
            {
                return Call.ResponseStream.Current;
            }
        }

        throw new EndOfStreamException("The server ended the stream.");
    }

    /// <summary>Reads until the server ends the call and returns its status.</summary>
    public async Task<Status> ReadToEndAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await Call.ResponseStream.MoveNext(cts.Token).ConfigureAwait(false))
            {
            }

            return Call.GetStatus();
        }
        catch (RpcException exception)
        {
            return exception.Status;
        }
    }

    public void Dispose()
    {
        Call.Dispose();
        _channel.Dispose();
    }
}
