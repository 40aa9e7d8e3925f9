using System.Text.RegularExpressions;

namespace FedLearn.Deployment.Tests.TestSupport;

/// <summary>Finds the metric names a PromQL expression selects (enough of PromQL for dashboards, not a full parser).</summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2" };

    /// <summary>
    /// The metric names in <paramref name="expression"/>: identifiers that are not functions or aggregations (followed by
    /// '('), not label names (inside '{…}' or a 'by/without/on/ignoring/group_left/group_right (…)' clause), not inside a
    /// string, a range '[…]' or a Grafana variable, and not operators such as 'and'.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        string text = StringLiteral().Replace(expression, "\"\"");
        text = LabelMatchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            bool isCall = match.Groups["call"].Success;
            string name = match.Groups["name"].Value;
            if (!isCall && !Keywords.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w$.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
