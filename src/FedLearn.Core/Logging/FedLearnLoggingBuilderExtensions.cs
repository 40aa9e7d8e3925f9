using FedLearn.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Logging;

/// <summary>Structured console logging for FedLearn hosts.</summary>
public static class FedLearnLoggingBuilderExtensions
{
    /// <summary>
    /// Logs to the console as one flat JSON object per line (what Loki and other log stores ingest):
    /// <c>timestamp</c> (UTC, ISO 8601), <c>level</c>, <c>category</c>, <c>message</c>, the fields of the active scopes
    /// — FedLearn's server and client open scopes with <c>round</c> and <c>client_id</c> (<see cref="LogFields"/>) —
    /// and the message template's values.
    /// </summary>
    /// <param name="builder">The logging builder.</param>
    /// <param name="configure">Changes the formatter's options (scopes are on and timestamps UTC by default).</param>
    /// <returns>The same builder.</returns>
    public static ILoggingBuilder AddFedLearnJsonConsole(this ILoggingBuilder builder, Action<ConsoleFormatterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddConsole(options => options.FormatterName = FedLearnJsonConsoleFormatter.FormatterName);
        builder.AddConsoleFormatter<FedLearnJsonConsoleFormatter, ConsoleFormatterOptions>(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            configure?.Invoke(options);
        });
        return builder;
    }
}
