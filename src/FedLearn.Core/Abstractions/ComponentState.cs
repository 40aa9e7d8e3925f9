namespace FedLearn;

/// <summary>
/// Named float buffers a component keeps for one client across rounds (for example the error-feedback residual).
/// Not thread-safe: one client uses it at a time.
/// </summary>
public sealed class ComponentState
{
    private readonly Dictionary<string, float[]> _buffers = new(StringComparer.Ordinal);

    /// <summary>Names of the buffers held.</summary>
    public IEnumerable<string> Keys => _buffers.Keys;

    /// <summary>Total floats held, for memory accounting.</summary>
    public long FloatCount => _buffers.Values.Sum(b => (long)b.Length);

    /// <summary>Returns the buffer under <paramref name="key"/>, creating a zero buffer of <paramref name="length"/> when absent.</summary>
    /// <exception cref="InvalidOperationException">A buffer exists under that key with another length.</exception>
    public float[] GetOrCreate(string key, int length)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (_buffers.TryGetValue(key, out float[]? existing))
        {
            if (existing.Length != length)
            {
                throw new InvalidOperationException($"State '{key}' holds {existing.Length} values but {length} were asked for; call Reset() when the model changes.");
            }

            return existing;
        }

        float[] created = new float[length];
        _buffers.Add(key, created);
        return created;
    }

    /// <summary>Gets a buffer if present.</summary>
    public bool TryGet(string key, out float[] buffer)
    {
        bool found = _buffers.TryGetValue(key, out float[]? value);
        buffer = value ?? [];
        return found;
    }

    /// <summary>Forgets every buffer (for example after the model shape changed).</summary>
    public void Reset() => _buffers.Clear();
}
