using System.Reflection;
using TorchSharp;

namespace FedLearn.Torch.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Test]
    public void Forcing_the_cpu_always_gives_the_cpu()
    {
        Assert.That(TorchRuntime.SelectDevice(TorchDevicePreference.Cpu).type, Is.EqualTo(DeviceType.CPU));
    }

    [Test]
    public void Auto_picks_cuda_only_when_available()
    {
        DeviceType expected = TorchRuntime.IsCudaAvailable ? DeviceType.CUDA : DeviceType.CPU;
        Assert.That(TorchRuntime.SelectDevice(TorchDevicePreference.Auto).type, Is.EqualTo(expected));
    }

    [Test]
    public void The_cpu_runtime_has_no_cuda_so_auto_gives_the_cpu()
    {
        string? backend = typeof(TorchRuntimeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "FedLearnTorchBackend")?.Value;
        Assert.That(backend, Is.Not.Null, "eng/TorchBackend.targets records the backend");
        if (backend != "cpu")
        {
            Assert.Ignore($"Built for the {backend} backend.");
        }

        Assert.That(TorchRuntime.IsCudaAvailable, Is.False);
        Assert.That(TorchRuntime.SelectDevice(TorchDevicePreference.Auto).type, Is.EqualTo(DeviceType.CPU));
    }

    [Test]
    public void Thread_count_is_applied_and_must_be_positive()
    {
        int original = TorchRuntime.ThreadCount;
        try
        {
            TorchRuntime.SetThreadCount(1);
            Assert.That(TorchRuntime.ThreadCount, Is.EqualTo(1));
            Assert.That(torch.get_num_threads(), Is.EqualTo(1));
        }
        finally
        {
            TorchRuntime.SetThreadCount(original);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetThreadCount(0));
    }

    [Test]
    public void Native_load_failures_are_recognised_and_other_errors_are_not()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TorchRuntime.IsNativeLoadFailure(new DllNotFoundException("libtorch_cpu.so")), Is.True);
            Assert.That(TorchRuntime.IsNativeLoadFailure(new NotSupportedException("This application or script uses TorchSharp but ...")), Is.True);
            Assert.That(TorchRuntime.IsNativeLoadFailure(new TypeInitializationException("TorchSharp.torch", new DllNotFoundException("x"))), Is.True);
            Assert.That(TorchRuntime.IsNativeLoadFailure(new TypeInitializationException("TorchSharp.torch", new InvalidOperationException("x"))), Is.False);
            Assert.That(TorchRuntime.IsNativeLoadFailure(new InvalidOperationException("x")), Is.False);
        });
    }

    [Test]
    public void The_unavailable_message_explains_the_library_the_debian_fix_and_the_package_reference()
    {
        var inner = new NotSupportedException(
            "This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64, Version=2.10.0.\n\n"
            + "Trace from LoadNativeBackend:\n"
            + "    Failed to load native component torch_cpu relative to /app/TorchSharp.dll: "
            + "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/libtorch_cpu.so)\n"
            + "    Result from regular native load of LibTorchSharp is False\n");

        var exception = new TorchUnavailableException(TorchRuntime.UnavailableMessage(TorchRuntime.LoaderSummary(inner)), inner);

        Assert.That(exception.InnerException, Is.SameAs(inner));
        Assert.That(exception.Message, Does.Contain("version `GLIBCXX_3.4.32' not found (required by /app/libtorch_cpu.so)"));
        Assert.That(exception.Message, Does.Contain("GLIBCXX_3.4.32").And.Contain("sudo bash eng/install-prereqs.sh"));
        Assert.That(exception.Message, Does.Contain("TorchSharp-cpu").And.Contain("CUDA"));
        Assert.That(exception.Message, Does.Not.Contain("Result from regular native load"), "the trace is summarised, not copied");
    }

    [Test]
    public void The_default_exception_carries_the_explanation()
    {
        Assert.That(new TorchUnavailableException().Message, Does.Contain("GLIBCXX_3.4.32").And.Contain("eng/install-prereqs.sh"));
    }
}
