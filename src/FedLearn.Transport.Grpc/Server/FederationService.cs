using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Server;

/// <summary>
/// The <c>fedlearn.v1.Federation</c> gRPC service: hands each stream to the <see cref="GrpcServerTransport"/>. It is
/// bound with <see cref="FederationMethod.Connect"/> (the protocol's method with the pooled-chunk marshallers) rather
/// than the generated base class.
/// </summary>
/// <remarks>
/// Not sealed, and <see cref="Connect"/> is virtual, because the gRPC host accepts a handler only when it is a virtual
/// method declared by the type that declares the bind method.
/// </remarks>
[BindServiceMethod(typeof(FederationService), nameof(BindService))]
internal class FederationService(GrpcServerTransport transport)
{
    public virtual Task Connect(IAsyncStreamReader<ClientFrame> requestStream, IServerStreamWriter<ServerFrame> responseStream, ServerCallContext context) =>
        transport.ServeAsync(requestStream, responseStream, context);

    /// <summary>Called by the gRPC host to register the method; <paramref name="service"/> is null there (it binds by name).</summary>
    public static void BindService(ServiceBinderBase binder, FederationService? service) =>
        binder.AddMethod(FederationMethod.Connect, service is null ? null : new DuplexStreamingServerMethod<ClientFrame, ServerFrame>(service.Connect));
}
