using System.Globalization;
using System.Text;

namespace FedLearn.Tracking;

/// <summary>
/// The small part of YAML that MLflow's <c>meta.yaml</c> files use: one <c>key: value</c> per line, keys sorted,
/// strings single-quoted. Reading accepts plain and single-quoted scalars, which covers what MLflow itself writes.
/// </summary>
internal static class MlflowYaml
{
    /// <summary>A value written as it is (numbers, <c>[]</c>).</summary>
    public readonly record struct Raw(string Text);

    public static string Write(IEnumerable<KeyValuePair<string, object>> entries)
    {
        var builder = new StringBuilder();
        foreach (KeyValuePair<string, object> entry in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            string value = entry.Value switch
            {
                Raw raw => raw.Text,
                long number => number.ToString(CultureInfo.InvariantCulture),
                int number => number.ToString(CultureInfo.InvariantCulture),
                string text => Quote(text),
                _ => throw new ArgumentException($"meta.yaml value of '{entry.Key}' has unsupported type {entry.Value.GetType().Name}."),
            };
            builder.Append(entry.Key).Append(": ").Append(value).Append('\n');
        }

        return builder.ToString();
    }

    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Reads the top-level scalar <paramref name="key"/>; <c>null</c> when it is absent.</summary>
    public static string? ReadScalar(string yaml, string key)
    {
        foreach (string line in yaml.Split('\n'))
        {
            string trimmed = line.TrimEnd('\r');
            if (!trimmed.StartsWith(key + ":", StringComparison.Ordinal))
            {
                continue;
            }

            string value = trimmed[(key.Length + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            {
                return value[1..^1].Replace("''", "'", StringComparison.Ordinal);
            }

            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                return value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            return value;
        }

        return null;
    }
}
