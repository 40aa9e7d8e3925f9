using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// The <c>fedlearn.v1.Federation/Connect</c> method with the <see cref="FrameCodec"/> marshallers. Both sides use it in
/// place of the generated stub's method; on the wire it is the same method with the same protobuf frames.
/// </summary>
internal static class FederationMethod
{
    public static Method<ClientFrame, ServerFrame> Connect { get; } = new(MethodType.DuplexStreaming, "fedlearn.v1.Federation", "Connect", FrameCodec.ClientFrames, FrameCodec.ServerFrames);
}
