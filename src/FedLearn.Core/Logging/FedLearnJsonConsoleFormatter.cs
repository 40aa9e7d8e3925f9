using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FedLearn.Logging;

/// <summary>
/// Writes one JSON object per line, flat so that a log store (Loki's <c>json</c> parser, for one) sees every field
/// at the top: <c>timestamp</c>, <c>level</c>, <c>category</c>, <c>message</c>, <c>event_id</c> when set, <c>exception</c>
/// when there is one, then the fields of the active scopes (<c>round</c>, <c>client_id</c>, …) and the message's own
/// template values. A later field with the same name as an earlier one is skipped, so each name appears once.
/// </summary>
internal sealed class FedLearnJsonConsoleFormatter : ConsoleFormatter, IDisposable
{
    /// <summary>The formatter's name, as <see cref="ConsoleLoggerOptions.FormatterName"/> selects it.</summary>
    public const string FormatterName = "fedlearn-json";

    private readonly IDisposable? _reload;
    private ConsoleFormatterOptions _options;

    public FedLearnJsonConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options)
        : base(FormatterName)
    {
        _options = options.CurrentValue;
        _reload = options.OnChange(updated => _options = updated);
    }

    public void Dispose() => _reload?.Dispose();

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is null && string.IsNullOrEmpty(message))
        {
            return;
        }

        ConsoleFormatterOptions options = _options;
        var buffer = new ArrayBufferWriterStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            writer.WriteStartObject();
            DateTimeOffset now = options.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            Put(writer, written, "timestamp", now.ToString(options.TimestampFormat ?? "O", System.Globalization.CultureInfo.InvariantCulture));
            Put(writer, written, "level", logEntry.LogLevel.ToString());
            Put(writer, written, "category", logEntry.Category);
            Put(writer, written, "message", message);
            if (logEntry.EventId.Id != 0 || logEntry.EventId.Name is not null)
            {
                Put(writer, written, "event_id", logEntry.EventId.Id);
            }

            if (logEntry.Exception is { } exception)
            {
                Put(writer, written, "exception", exception.ToString());
            }

            if (options.IncludeScopes && scopeProvider is not null)
            {
                scopeProvider.ForEachScope(
                    (scope, state) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object?>> fields)
                        {
                            foreach ((string key, object? value) in fields)
                            {
                                Put(state.Writer, state.Written, key, value);
                            }
                        }
                    },
                    (Writer: writer, Written: written));
            }

            if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach ((string key, object? value) in values)
                {
                    if (key != "{OriginalFormat}")
                    {
                        Put(writer, written, key, value);
                    }
                }
            }

            writer.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write(Environment.NewLine);
    }

    private static void Put(Utf8JsonWriter writer, HashSet<string> written, string key, object? value)
    {
        if (!written.Add(key))
        {
            return;
        }

        switch (value)
        {
            case null:
                writer.WriteNull(key);
                break;
            case bool flag:
                writer.WriteBoolean(key, flag);
                break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                writer.WriteNumber(key, Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumber(key, number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumber(key, number);
                break;
            case decimal number:
                writer.WriteNumber(key, number);
                break;
            default:
                writer.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
