using FedLearn.Options;
using FedLearn.Transport.Grpc.Client;

namespace FedLearn.Transport.Grpc.Tests.Client;

public sealed class GrpcClientOptionsTests
{
    [TestCase(65_535)]
    [TestCase(16 << 20)]
    public void StreamWindowsTheHttpClientAcceptsAreValid(int window)
    {
        var options = new GrpcClientOptions { ServerAddress = "http://localhost:5000", Http2StreamWindowBytes = window };
        Assert.That(OptionsValidation.Validate(options), Is.Empty);
    }

    [TestCase(65_534)]
    [TestCase((16 << 20) + 1)]
    public void AStreamWindowTheHttpClientWouldRefuseIsRefusedWhenTheTransportIsBuilt(int window)
    {
        var options = new GrpcClientOptions { ServerAddress = "http://localhost:5000", Http2StreamWindowBytes = window };
        Microsoft.Extensions.Options.OptionsValidationException error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new GrpcClientTransport(options).Dispose())!;
        Assert.That(error.Failures, Has.One.StartsWith("GrpcClientOptions.Http2StreamWindowBytes:"));
    }
}
