using System.Collections;
using System.Globalization;

namespace FedLearn.Logging;

/// <summary>
/// A log scope of named fields (<see cref="LogFields"/>): structured formatters read the pairs, text formatters the
/// <see cref="ToString"/> form (<c>round=3 client_id=c7</c>).
/// </summary>
internal sealed class LogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _fields;

    private LogScope(KeyValuePair<string, object?>[] fields) => _fields = fields;

    public int Count => _fields.Length;

    public KeyValuePair<string, object?> this[int index] => _fields[index];

    /// <summary>The scope of one round on the server.</summary>
    public static LogScope ForRound(int round) => new([new(LogFields.Round, round)]);

    /// <summary>The scope of one client's work in one round.</summary>
    public static LogScope ForClient(string clientId, int round) => new([new(LogFields.Round, round), new(LogFields.ClientId, clientId)]);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_fields).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', _fields.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key}={f.Value}")));
}
