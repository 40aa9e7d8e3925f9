using System.Text.Json;
using FedLearn.Deployment.Tests.TestSupport;
using NUnit.Framework;

namespace FedLearn.Deployment.Tests.Dashboards;

/// <summary>Every metric a Grafana dashboard queries must be one that the FedLearn server or clients export.</summary>
[TestFixture]
public sealed class DashboardQueriesTests
{
    private static readonly string DashboardDirectory = Path.Combine(Repository.K8s, "base", "grafana", "dashboards");

    public static IEnumerable<string> Dashboards => Directory.GetFiles(DashboardDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [Test]
    public void The_four_dashboards_exist_with_distinct_uids()
    {
        var titles = new List<string>();
        var uids = new List<string>();
        foreach (string file in Dashboards)
        {
            using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(DashboardDirectory, file)));
            titles.Add(dashboard.RootElement.GetProperty("title").GetString()!);
            uids.Add(dashboard.RootElement.GetProperty("uid").GetString()!);
        }

        Assert.That(titles, Is.EquivalentTo(new[] { "FedLearn / Training Overview", "FedLearn / Communication Efficiency", "FedLearn / Security Monitoring", "FedLearn / System Health" }));
        Assert.That(uids, Is.Unique);
    }

    [TestCaseSource(nameof(Dashboards))]
    public void Every_metric_a_dashboard_queries_is_exported(string file)
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(DashboardDirectory, file)));
        var queried = new List<(string Panel, string Metric)>();
        foreach (JsonElement panel in Panels(dashboard.RootElement))
        {
            foreach (JsonElement target in panel.TryGetProperty("targets", out JsonElement targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                if ((DatasourceType(target) ?? DatasourceType(panel)) != "prometheus")
                {
                    continue;
                }

                string expression = target.GetProperty("expr").GetString()!;
                IReadOnlySet<string> names = PromQl.MetricNames(expression);
                Assert.That(names, Is.Not.Empty, $"panel '{panel.GetProperty("title").GetString()}' queries no metric: {expression}");
                queried.AddRange(names.Select(n => (panel.GetProperty("title").GetString()!, n)));
            }
        }

        Assert.That(queried, Is.Not.Empty, $"{file} has no Prometheus query");
        string[] unknown = queried.Where(q => !ExportedMetrics.SeriesNames.Contains(q.Metric)).Select(q => $"'{q.Metric}' in panel '{q.Panel}'").Distinct().ToArray();
        Assert.That(unknown, Is.Empty, $"{file} queries metrics nobody exports:\n  {string.Join("\n  ", unknown)}");
    }

    [Test]
    public void A_query_of_a_metric_nobody_emits_is_caught()
    {
        IReadOnlySet<string> names = PromQl.MetricNames("sum by (fedlearn_outcome) (rate(fedlearn_round_made_up_total{job=\"x\"}[5m])) / fedlearn_round_count_total");

        Assert.That(names, Is.EquivalentTo(new[] { "fedlearn_round_made_up_total", "fedlearn_round_count_total" }));
        Assert.That(ExportedMetrics.SeriesNames, Does.Contain("fedlearn_round_count_total"));
        Assert.That(ExportedMetrics.SeriesNames, Does.Not.Contain("fedlearn_round_made_up_total"));
    }

    [TestCase("histogram_quantile(0.95, sum by (le) (rate(fedlearn_round_duration_seconds_bucket[$__rate_interval])))", "fedlearn_round_duration_seconds_bucket")]
    [TestCase("sum(rate(a_total[5m])) / clamp_min(sum(rate(b_total[5m])), 1e-9)", "a_total b_total")]
    [TestCase("max by (fedlearn_evaluation) (fedlearn_model_accuracy{fedlearn_evaluation=\"central\"}) and on (job) up", "fedlearn_model_accuracy up")]
    [TestCase("x offset 5m unless y", "x y")]
    public void Metric_names_are_told_apart_from_functions_labels_and_ranges(string expression, string expected)
    {
        Assert.That(PromQl.MetricNames(expression), Is.EquivalentTo(expected.Split(' ')));
    }

    [Test]
    public void Exported_names_follow_the_prometheus_exporter_rules()
    {
        Assert.That(ExportedMetrics.SeriesNames, Is.SupersetOf(new[]
        {
            "fedlearn_round_duration_seconds_bucket",     // histogram, unit s
            "fedlearn_round_duration_seconds_count",
            "fedlearn_round_clients_sampled_total",       // counter, unit {client}: annotation only, no suffix
            "fedlearn_transport_bytes_sent_bytes_total",  // counter, unit By
            "fedlearn_compression_ratio_sum",             // histogram, unit {ratio}
            "fedlearn_model_accuracy",                    // gauge, unit 1
            "dotnet_gc_collections_total",                // runtime
            "dotnet_process_memory_working_set_bytes",
            "http_server_request_duration_seconds_bucket", // ASP.NET Core
        }));
        Assert.That(ExportedMetrics.FedLearnInstruments.Select(i => i.Name), Does.Contain("fedlearn.round.duration").And.Contain("fedlearn.round.clients.flagged"));
    }

    private static string? DatasourceType(JsonElement element) =>
        element.TryGetProperty("datasource", out JsonElement datasource) && datasource.ValueKind == JsonValueKind.Object && datasource.TryGetProperty("type", out JsonElement type)
            ? type.GetString()
            : null;

    private static IEnumerable<JsonElement> Panels(JsonElement container)
    {
        if (!container.TryGetProperty("panels", out JsonElement panels))
        {
            yield break;
        }

        foreach (JsonElement panel in panels.EnumerateArray())
        {
            yield return panel;
            foreach (JsonElement nested in Panels(panel))
            {
                yield return nested;
            }
        }
    }
}
