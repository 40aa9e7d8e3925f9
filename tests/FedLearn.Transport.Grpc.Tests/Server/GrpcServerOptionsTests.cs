using FedLearn.Transport.Grpc.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FedLearn.Transport.Grpc.Tests.Server;

public sealed class GrpcServerOptionsTests
{
    [Test]
    public void TheFlowControlWindowsAreSetOnKestrel()
    {
        var services = new ServiceCollection();
        services.AddFedLearnGrpcServer(o =>
        {
            o.Http2ConnectionWindowBytes = 32 << 20;
            o.Http2StreamWindowBytes = 2 << 20;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        KestrelServerOptions kestrel = provider.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.That(kestrel.Limits.Http2.InitialConnectionWindowSize, Is.EqualTo(32 << 20));
        Assert.That(kestrel.Limits.Http2.InitialStreamWindowSize, Is.EqualTo(2 << 20));
    }

    [Test]
    public void BadWindowsAreRefusedAtStartUpWithEveryReason()
    {
        var services = new ServiceCollection();
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => services.AddFedLearnGrpcServer(o =>
        {
            o.Http2ConnectionWindowBytes = 1000;
            o.Http2StreamWindowBytes = 4 << 20;
        }))!;

        Assert.That(error.Failures, Has.Some.StartsWith("GrpcServerOptions.Http2ConnectionWindowBytes:"));
        Assert.That(error.Message, Does.Contain("Http2StreamWindowBytes (4194304) must not exceed Http2ConnectionWindowBytes (1000)"));
    }
}
