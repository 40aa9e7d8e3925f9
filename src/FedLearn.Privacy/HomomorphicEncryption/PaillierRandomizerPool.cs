using System.Collections.Concurrent;
using System.Numerics;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// Precomputed rⁿ mod n² values, each used once: computing them is nearly all of an encryption's cost, so they are made
/// ahead of time (<see cref="Fill"/>, or <see cref="StartFilling"/> in the background between rounds) and encryption
/// itself is one modular multiplication. When the pool runs dry, encryption computes one inline. Thread-safe.
/// </summary>
internal sealed class PaillierRandomizerPool : IDisposable
{
    private readonly PaillierCipher _cipher;
    private readonly ConcurrentQueue<BigInteger> _ready = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _filling = Task.CompletedTask;
    private long _misses;

    public PaillierRandomizerPool(PaillierCipher cipher) => _cipher = cipher;

    /// <summary>Randomizers ready now.</summary>
    public int Available => _ready.Count;

    /// <summary>Randomizers that had to be computed inline.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Computes randomizers until <paramref name="target"/> are ready, on all cores; returns when done.</summary>
    public void Fill(int target)
    {
        int missing = target - _ready.Count;
        if (missing > 0)
        {
            Parallel.For(0, missing, new ParallelOptions { CancellationToken = _stop.Token }, _ => _ready.Enqueue(_cipher.NewRandomizer()));
        }
    }

    /// <summary>Fills up to <paramref name="target"/> on a background task unless a fill is already running.</summary>
    public void StartFilling(int target)
    {
        if (_filling.IsCompleted && !_stop.IsCancellationRequested)
        {
            _filling = Task.Run(
                () =>
                {
                    while (_ready.Count < target && !_stop.IsCancellationRequested)
                    {
                        _ready.Enqueue(_cipher.NewRandomizer());
                    }
                },
                _stop.Token);
        }
    }

    /// <summary>A randomizer that has never been handed out.</summary>
    public BigInteger Take()
    {
        if (_ready.TryDequeue(out BigInteger randomizer))
        {
            return randomizer;
        }

        Interlocked.Increment(ref _misses);
        return _cipher.NewRandomizer();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _filling.Wait();
        }
        catch (AggregateException)
        {
            // Cancelled.
        }

        _stop.Dispose();
    }
}
