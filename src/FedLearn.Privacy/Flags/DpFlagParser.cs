using System.Globalization;

namespace FedLearn.Privacy.Flags;

/// <summary>
/// Parses the <c>--dp</c> flag of the simulation:
/// <c>none</c> | <c>sample:eps=&lt;e&gt;,delta=&lt;d&gt;,clip=&lt;c&gt;</c> | <c>client:noise=&lt;z&gt;,clip=&lt;c&gt;</c> |
/// <c>client-adaptive:noise=&lt;z&gt;,quantile=&lt;q&gt;</c>. Pure and thread-safe.
/// </summary>
/// <remarks>
/// Mode names and keys are lower case; numbers use the invariant culture (<c>1e-5</c>, <c>0.5</c>). Every key of a mode
/// is required, none may repeat, and each value is range-checked: ε &gt; 0, 0 &lt; δ &lt; 1, C &gt; 0, σ ≥ 0, 0 &lt; γ &lt; 1.
/// </remarks>
public static class DpFlagParser
{
    private const string Syntax = "none | sample:eps=<e>,delta=<d>,clip=<c> | client:noise=<z>,clip=<c> | client-adaptive:noise=<z>,quantile=<q>";

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The flag's value.</param>
    /// <returns>The parsed settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not valid; the message quotes the offending part and the expected syntax.</exception>
    public static DpFlag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out DpFlag? flag, out string? error) ? flag : throw new FormatException(error);
    }

    /// <summary>Parses <paramref name="text"/> without throwing.</summary>
    /// <param name="text">The flag's value; null is invalid.</param>
    /// <param name="flag">The parsed settings when valid.</param>
    /// <param name="error">What is wrong when invalid, quoting the offending part.</param>
    /// <returns>Whether the text is valid.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DpFlag? flag, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        flag = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"--dp is empty; expected {Syntax}.";
            return false;
        }

        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        string mode = colon < 0 ? trimmed : trimmed[..colon];
        string arguments = colon < 0 ? string.Empty : trimmed[(colon + 1)..];

        string[] keys;
        switch (mode)
        {
            case "none":
                if (colon >= 0)
                {
                    error = $"--dp '{text}': mode 'none' takes no settings but got '{arguments}'.";
                    return false;
                }

                flag = DpFlag.None;
                error = null;
                return true;
            case "sample":
                keys = ["eps", "delta", "clip"];
                break;
            case "client":
                keys = ["noise", "clip"];
                break;
            case "client-adaptive":
                keys = ["noise", "quantile"];
                break;
            default:
                error = $"--dp '{text}': unknown mode '{mode}'; expected {Syntax}.";
                return false;
        }

        if (!TryReadValues(text, mode, arguments, keys, out Dictionary<string, double>? values, out error))
        {
            return false;
        }

        flag = mode switch
        {
            "sample" => new DpFlag(DpMode.Sample, TargetEpsilon: values["eps"], Delta: values["delta"], ClippingNorm: values["clip"]),
            "client" => new DpFlag(DpMode.Client, NoiseMultiplier: values["noise"], ClippingNorm: values["clip"]),
            _ => new DpFlag(DpMode.ClientAdaptive, NoiseMultiplier: values["noise"], TargetQuantile: values["quantile"]),
        };
        return true;
    }

    private static bool TryReadValues(
        string text, string mode, string arguments, string[] keys,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Dictionary<string, double>? values,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        var read = new Dictionary<string, double>(StringComparer.Ordinal);
        values = read;
        string expected = $"{mode}:{string.Join(',', keys.Select(k => k + "=<value>"))}";
        foreach (string rawPart in arguments.Split(','))
        {
            string part = rawPart.Trim();
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"--dp '{text}': '{part}' is not key=value; expected {expected}.";
                values = null;
                return false;
            }

            string key = part[..equals].Trim();
            string valueText = part[(equals + 1)..].Trim();
            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                error = $"--dp '{text}': unknown setting '{key}' for mode '{mode}'; expected {expected}.";
                values = null;
                return false;
            }

            if (values.ContainsKey(key))
            {
                error = $"--dp '{text}': setting '{key}' is given twice.";
                values = null;
                return false;
            }

            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                error = $"--dp '{text}': '{valueText}' for '{key}' is not a finite number.";
                values = null;
                return false;
            }

            string? rangeError = CheckRange(key, value);
            if (rangeError is not null)
            {
                error = $"--dp '{text}': {key}={valueText} {rangeError}.";
                values = null;
                return false;
            }

            values.Add(key, value);
        }

        string[] missing = [.. keys.Where(k => !read.ContainsKey(k))];
        if (missing.Length > 0)
        {
            error = $"--dp '{text}': missing {string.Join(", ", missing.Select(k => $"'{k}'"))}; expected {expected}.";
            values = null;
            return false;
        }

        error = null;
        return true;
    }

    private static string? CheckRange(string key, double value) => key switch
    {
        "eps" when !(value > 0) => "must be positive",
        "delta" when !(value > 0 && value < 1) => "must be in (0, 1)",
        "clip" when !(value > 0) => "must be positive",
        "noise" when !(value >= 0) => "must be ≥ 0",
        "quantile" when !(value > 0 && value < 1) => "must be in (0, 1)",
        _ => null,
    };
}
