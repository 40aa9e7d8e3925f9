using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// The process-wide TorchSharp set-up: loads the native library once, picks the device, and controls the number of
/// threads LibTorch uses for one operation. Every FedLearn.Torch entry point calls <see cref="EnsureAvailable"/>
/// first, so a missing native library surfaces as a <see cref="TorchUnavailableException"/> that explains the fix.
/// </summary>
/// <remarks>
/// Thread-safe. The thread count is a process-wide LibTorch setting: it applies to every model in the process.
/// No member requires a GPU: without CUDA everything runs on the CPU.
/// </remarks>
public static class TorchRuntime
{
    /// <summary>The libstdc++ symbol version TorchSharp 0.107's native library links against.</summary>
    public const string RequiredLibStdCxxSymbol = "GLIBCXX_3.4.32";

    private static readonly Lock Gate = new();
    private static bool s_initialized;
    private static bool s_cudaAvailable;
    private static int s_workerCount = Environment.ProcessorCount;
    private static TorchWorkers? s_workers;

    /// <summary>
    /// Loads TorchSharp's native library for the CPU (and probes CUDA) once per process; later calls return at once.
    /// </summary>
    /// <exception cref="TorchUnavailableException">The native library could not be loaded; the message explains why and how to fix it.</exception>
    public static void EnsureAvailable()
    {
        if (Volatile.Read(ref s_initialized))
        {
            return;
        }

        lock (Gate)
        {
            if (s_initialized)
            {
                return;
            }

            try
            {
                InitializeDeviceType(DeviceType.CPU);
                s_cudaAvailable = cuda.is_available();
            }
            catch (Exception exception) when (IsNativeLoadFailure(exception))
            {
                throw new TorchUnavailableException(UnavailableMessage(LoaderSummary(exception)), exception);
            }

            Volatile.Write(ref s_initialized, true);
        }
    }

    /// <summary>
    /// Ensures the native library is loaded and returns <paramref name="moduleName"/>: for module constructors, whose
    /// base constructor would otherwise touch TorchSharp before their own body can check it.
    /// </summary>
    internal static string Ready(string moduleName)
    {
        EnsureAvailable();
        return moduleName;
    }

    /// <summary>True when a CUDA device can be used (<c>torch.cuda.is_available()</c>).</summary>
    /// <exception cref="TorchUnavailableException">The native library could not be loaded.</exception>
    public static bool IsCudaAvailable
    {
        get
        {
            EnsureAvailable();
            return s_cudaAvailable;
        }
    }

    /// <summary>
    /// The device to run on: CUDA when <paramref name="preference"/> is <see cref="TorchDevicePreference.Auto"/> and
    /// CUDA is available, otherwise the CPU.
    /// </summary>
    /// <param name="preference">Whether to use a GPU when one is present.</param>
    /// <returns>A device; the caller does not dispose it.</returns>
    /// <exception cref="TorchUnavailableException">The native library could not be loaded.</exception>
    public static Device SelectDevice(TorchDevicePreference preference = TorchDevicePreference.Auto)
    {
        if (preference is not (TorchDevicePreference.Auto or TorchDevicePreference.Cpu))
        {
            throw new ArgumentOutOfRangeException(nameof(preference), preference, "Unknown device preference.");
        }

        EnsureAvailable();
        if (preference == TorchDevicePreference.Auto && s_cudaAvailable)
        {
            InitializeDeviceType(DeviceType.CUDA);
            return CUDA;
        }

        return CPU;
    }

    /// <summary>The number of threads LibTorch uses within one operation (process-wide).</summary>
    /// <exception cref="TorchUnavailableException">The native library could not be loaded.</exception>
    public static int ThreadCount
    {
        get
        {
            EnsureAvailable();
            return get_num_threads();
        }
    }

    /// <summary>
    /// Sets the number of threads LibTorch uses within one operation, for the whole process. When many clients train
    /// in parallel, one thread each avoids oversubscribing the cores.
    /// </summary>
    /// <param name="threadCount">At least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is less than 1.</exception>
    /// <exception cref="TorchUnavailableException">The native library could not be loaded.</exception>
    public static void SetThreadCount(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        EnsureAvailable();
        set_num_threads(threadCount);
    }

    /// <summary>
    /// The number of dedicated threads on which <see cref="TorchTrainer"/> and <see cref="TorchEvaluation.EvaluateAsync"/>
    /// run, and so how many fits or evaluations run at once in the process.
    /// </summary>
    /// <value>Default <see cref="Environment.ProcessorCount"/>.</value>
    /// <remarks>
    /// LibTorch keeps per-thread native state (allocator arenas, kernel caches); running on a fixed set of threads
    /// rather than on whichever thread-pool thread is free keeps resident memory flat over rounds.
    /// </remarks>
    public static int WorkerCount
    {
        get
        {
            lock (Gate)
            {
                return s_workers?.Count ?? s_workerCount;
            }
        }
    }

    /// <summary>
    /// Sets <see cref="WorkerCount"/>. Call it before the first fit or evaluation; with many clients training at
    /// once, pair more workers with fewer LibTorch threads each (<see cref="SetThreadCount"/>).
    /// </summary>
    /// <param name="workerCount">At least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workerCount"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The workers have already started with another count.</exception>
    public static void SetWorkerCount(int workerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        lock (Gate)
        {
            if (s_workers is not null && s_workers.Count != workerCount)
            {
                throw new InvalidOperationException(
                    $"The {s_workers.Count} FedLearn.Torch worker threads have already started; set the worker count before the first fit or evaluation.");
            }

            s_workerCount = workerCount;
        }
    }

    /// <summary>The dedicated worker threads, started on first use.</summary>
    internal static TorchWorkers Workers
    {
        get
        {
            TorchWorkers? workers = Volatile.Read(ref s_workers);
            if (workers is not null)
            {
                return workers;
            }

            lock (Gate)
            {
                s_workers ??= TorchWorkers.Start(s_workerCount);
                return s_workers;
            }
        }
    }

    /// <summary>True for the errors .NET and TorchSharp raise when a native library or one of its dependencies fails to load.</summary>
    internal static bool IsNativeLoadFailure(Exception exception) => exception switch
    {
        DllNotFoundException or BadImageFormatException or EntryPointNotFoundException => true,
        // TorchSharp reports a failed native load from its loader as NotSupportedException.
        NotSupportedException => true,
        TypeInitializationException { InnerException: { } inner } => IsNativeLoadFailure(inner),
        TypeInitializationException => true,
        _ => false,
    };

    /// <summary>
    /// The lines of a load failure that say what failed (TorchSharp's message embeds a long trace in which the
    /// dynamic loader's own errors, such as a missing GLIBCXX version, are buried).
    /// </summary>
    internal static string LoaderSummary(Exception exception)
    {
        Exception innermost = exception;
        while (innermost is TypeInitializationException { InnerException: { } inner })
        {
            innermost = inner;
        }

        string[] lines = innermost.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] failures = lines
            .Where(line => line.Contains("GLIBCXX", StringComparison.Ordinal) || line.Contains("Failed to load", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Take(4)
            .ToArray();
        return failures.Length > 0 ? string.Join(" | ", failures) : (lines.Length > 0 ? lines[0] : innermost.GetType().Name);
    }

    /// <summary>The explanation carried by <see cref="TorchUnavailableException"/>.</summary>
    internal static string UnavailableMessage(string? detail)
    {
        string reason = string.IsNullOrWhiteSpace(detail) ? string.Empty : $" The loader said: {detail.Trim()}";
        return "TorchSharp's native library could not be loaded, so FedLearn.Torch cannot run." + reason + Environment.NewLine
            + $"1. On Linux it needs libstdc++ with {RequiredLibStdCxxSymbol} (GCC 13 or later: Debian 13, Ubuntu 24.04, ...). "
            + $"Check with: strings \"$(ldconfig -p | awk '/libstdc\\+\\+\\.so\\.6 /{{print $NF; exit}}')\" | grep {RequiredLibStdCxxSymbol}. "
            + "On Debian 12 run `sudo bash eng/install-prereqs.sh` from the FedLearn repository: it installs libstdc++6 from Debian 13 (trixie) under a low apt pin." + Environment.NewLine
            + "2. The host app (not the library) must reference a LibTorch runtime package: TorchSharp-cpu (or libtorch-cpu-linux-x64 on Linux), "
            + "or a CUDA build such as TorchSharp-cuda-windows. In the FedLearn repository apps and tests import eng/TorchBackend.targets, "
            + "which references TorchSharp-cpu unless -p:FedLearnTorchBackend=cuda-windows is given.";
    }
}
