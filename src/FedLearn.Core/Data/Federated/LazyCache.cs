using System.Collections.Concurrent;

namespace FedLearn.Data;

/// <summary>
/// A process-wide cache whose values are built once per key, on first use, by exactly one thread. A build that
/// throws is not cached, so a later call (for example after the data was installed) tries again.
/// </summary>
internal sealed class LazyCache<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<TValue>> _entries = new();

    public TValue GetOrCreate(TKey key, Func<TKey, TValue> factory)
    {
        Lazy<TValue> lazy = _entries.GetOrAdd(key, k => new Lazy<TValue>(() => factory(k), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<TKey, Lazy<TValue>>(key, lazy));
            throw;
        }
    }
}
