using System.Text;

namespace FedLearn.Deployment.Tests.TestSupport;

/// <summary>How an instrument appears in a Prometheus scrape.</summary>
internal enum PrometheusKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>
/// The names OpenTelemetry's Prometheus exporter (1.20, default settings) gives an instrument: the name with every run
/// of characters other than letters, digits and ':' replaced by one '_'; the unit, without its {annotations}, mapped to
/// a word (s → seconds, By → bytes, 1 → nothing, a/b → a_per_b) and appended unless the name already ends with it;
/// '_total' appended to counters; histograms exposed as _bucket, _sum and _count series.
/// </summary>
internal static class PrometheusNames
{
    /// <summary>The metric family name.</summary>
    public static string Family(string instrumentName, string? unit, PrometheusKind kind)
    {
        string name = Sanitize(instrumentName);
        string suffix = Unit(unit);
        if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal) && !(kind == PrometheusKind.Counter && name.EndsWith(suffix + "_total", StringComparison.Ordinal)))
        {
            name += "_" + suffix;
        }

        if (kind == PrometheusKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>Every series name a query may use for the instrument.</summary>
    public static IEnumerable<string> Series(string instrumentName, string? unit, PrometheusKind kind)
    {
        string family = Family(instrumentName, unit, kind);
        return kind == PrometheusKind.Histogram ? [family + "_bucket", family + "_sum", family + "_count"] : [family];
    }

    private static string Unit(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return string.Empty;
        }

        var withoutAnnotations = new StringBuilder();
        int depth = 0;
        foreach (char c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                withoutAnnotations.Append(c);
            }
        }

        string text = withoutAnnotations.ToString();
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string mapped = slash > 0 && slash < text.Length - 1 ? Word(text[..slash]) + "_per_" + PerWord(text[(slash + 1)..]) : Word(text);
        return SanitizeUnit(mapped);
    }

    private static string Word(string unit) => unit switch
    {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" or "B" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "KBy" or "KB" => "kilobytes",
        "MBy" or "MB" => "megabytes",
        "GBy" or "GB" => "gigabytes",
        "1" => string.Empty,
        "%" => "percent",
        _ => unit,
    };

    private static string PerWord(string unit) => unit switch
    {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        _ => unit,
    };

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        bool lastUnderscore = false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (i == 0 && char.IsAsciiDigit(c))
            {
                builder.Append('_');
                lastUnderscore = true;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == ':')
            {
                builder.Append(c);
                lastUnderscore = false;
            }
            else if (!lastUnderscore)
            {
                builder.Append('_');
                lastUnderscore = true;
            }
        }

        return builder.ToString();
    }

    private static string SanitizeUnit(string unit)
    {
        var builder = new StringBuilder(unit.Length);
        bool lastUnderscore = false;
        foreach (char c in unit)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == ':')
            {
                builder.Append(c);
                lastUnderscore = false;
            }
            else if (!lastUnderscore)
            {
                builder.Append('_');
                lastUnderscore = true;
            }
        }

        return builder.ToString().Trim('_');
    }
}
