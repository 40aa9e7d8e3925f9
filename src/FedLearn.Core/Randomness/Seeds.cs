namespace FedLearn;

/// <summary>
/// Derives independent seeds from a run seed and a purpose, so every random choice (sampling in round r,
/// client c's shuffling in round r, ...) has its own stream and a resumed run draws exactly what a straight run would.
/// </summary>
public static class Seeds
{
    /// <summary>Mixes a seed with integers.</summary>
    public static ulong Derive(ulong seed, params ReadOnlySpan<long> parts)
    {
        ulong h = Mix(seed ^ 0x6A09E667F3BCC909UL);
        foreach (long part in parts)
        {
            h = Mix(h ^ (ulong)part);
        }

        return h;
    }

    /// <summary>Mixes a seed with a string (for example a client id) and integers.</summary>
    public static ulong Derive(ulong seed, string text, params ReadOnlySpan<long> parts)
    {
        ArgumentNullException.ThrowIfNull(text);
        // FNV-1a over UTF-16 code units: stable across processes, unlike string.GetHashCode.
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return Derive(Mix(seed ^ hash), parts);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
