using System.Diagnostics;

namespace FedLearn.Benchmarks.Transport.Load;

/// <summary>Samples this process's resident memory every few milliseconds and keeps the peak.</summary>
internal sealed class MemoryProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public MemoryProbe()
    {
        _peak = Resident();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                long now = Resident();
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }

                try
                {
                    await Task.Delay(5, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public long Peak => Interlocked.Read(ref _peak);

    public static long Resident()
    {
        using Process process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Resident memory after a full, compacting collection.</summary>
    public static long Settled()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Resident();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
