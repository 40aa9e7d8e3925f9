namespace FedLearn.Tracking;

/// <summary>MLflow's rules for keys and values, checked before anything is written or sent.</summary>
internal static class TrackingKeys
{
    /// <summary>MLflow's limit on key length.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>MLflow's limit on a parameter value's length.</summary>
    public const int MaxParameterValueLength = 6000;

    /// <summary>Throws when <paramref name="key"/> is not a valid MLflow key (it also becomes a file path in the file store).</summary>
    public static void Validate(string key, string kind)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"A {kind} key must not be empty.", nameof(key));
        }

        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"The {kind} key '{key[..40]}…' has {key.Length} characters; at most {MaxKeyLength} are allowed.", nameof(key));
        }

        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' '))
            {
                throw new ArgumentException($"The {kind} key '{key}' contains '{c}'; keys may contain only letters, digits, '_', '-', '.', '/' and spaces.", nameof(key));
            }
        }

        if (key.StartsWith('/') || key.EndsWith('/') || key.Contains("//", StringComparison.Ordinal) || key.Split('/').Any(part => part is "." or ".."))
        {
            throw new ArgumentException($"The {kind} key '{key}' is not a relative path: no leading or trailing '/', no empty, '.' or '..' segment.", nameof(key));
        }
    }

    /// <summary>Throws when a parameter value is longer than MLflow accepts.</summary>
    public static void ValidateParameterValue(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxParameterValueLength)
        {
            throw new ArgumentException($"The value of parameter '{key}' has {value.Length} characters; at most {MaxParameterValueLength} are allowed.", nameof(value));
        }
    }

    /// <summary>Milliseconds since the Unix epoch, as MLflow stores times.</summary>
    public static long ToUnixMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
