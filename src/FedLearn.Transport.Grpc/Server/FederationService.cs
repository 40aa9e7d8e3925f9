using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Server;

/// <summary>The <c>fedlearn.v1.Federation</c> gRPC service: hands each stream to the <see cref="GrpcServerTransport"/>.</summary>
internal sealed class FederationService(GrpcServerTransport transport) : Federation.FederationBase
{
    public override Task Connect(IAsyncStreamReader<ClientFrame> requestStream, IServerStreamWriter<ServerFrame> responseStream, ServerCallContext context) =>
        transport.ServeAsync(requestStream, responseStream, context);
}
