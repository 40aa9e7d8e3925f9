using System.Diagnostics.Metrics;
using System.Reflection;
using FedLearn.Samples.Shared;

namespace FedLearn.Deployment.Tests.TestSupport;

/// <summary>
/// The Prometheus series a FedLearn server or client exports: the instruments every FedLearn package defines on the
/// FedLearn meter (found by reflection, so a new instrument counts as soon as it exists), the .NET runtime's
/// instruments (the System.Runtime meter that OpenTelemetry's runtime instrumentation enables, enumerated live from
/// this runtime, under the names the apps export them: RuntimeMetricRenames), ASP.NET Core's hosting and Kestrel instruments, and the series Prometheus adds to every target.
/// </summary>
internal static class ExportedMetrics
{
    /// <summary>ASP.NET Core's built-in instruments (Microsoft.AspNetCore.Hosting, .Server.Kestrel, .Routing, .Diagnostics, .MemoryPool) that OpenTelemetry's ASP.NET Core instrumentation enables.</summary>
    private static readonly (string Name, string Unit, PrometheusKind Kind)[] AspNetCore =
    [
        ("http.server.request.duration", "s", PrometheusKind.Histogram),
        ("http.server.active_requests", "{request}", PrometheusKind.Gauge),
        ("kestrel.active_connections", "{connection}", PrometheusKind.Gauge),
        ("kestrel.connection.duration", "s", PrometheusKind.Histogram),
        ("kestrel.rejected_connections", "{connection}", PrometheusKind.Counter),
        ("kestrel.queued_connections", "{connection}", PrometheusKind.Gauge),
        ("kestrel.queued_requests", "{request}", PrometheusKind.Gauge),
        ("kestrel.upgraded_connections", "{connection}", PrometheusKind.Gauge),
        ("kestrel.tls_handshake.duration", "s", PrometheusKind.Histogram),
        ("kestrel.active_tls_handshakes", "{handshake}", PrometheusKind.Gauge),
        ("aspnetcore.routing.match_attempts", "{match_attempt}", PrometheusKind.Counter),
        ("aspnetcore.diagnostics.exceptions", "{exception}", PrometheusKind.Counter),
        ("aspnetcore.memory_pool.pooled", "By", PrometheusKind.Gauge),
        ("aspnetcore.memory_pool.allocated", "By", PrometheusKind.Counter),
        ("aspnetcore.memory_pool.evicted", "By", PrometheusKind.Counter),
        ("aspnetcore.memory_pool.rented", "By", PrometheusKind.Counter),
    ];

    /// <summary>Series Prometheus itself attaches to every scrape target.</summary>
    private static readonly string[] PrometheusOwn = ["up", "scrape_duration_seconds", "scrape_samples_scraped"];

    /// <summary>The FedLearn instruments, by name.</summary>
    public static IReadOnlyList<Instrument> FedLearnInstruments { get; } = FindFedLearnInstruments();

    /// <summary>Every series name a dashboard may query.</summary>
    public static IReadOnlySet<string> SeriesNames { get; } = Build();

    private static HashSet<string> Build()
    {
        var names = new HashSet<string>(PrometheusOwn, StringComparer.Ordinal);
        foreach (Instrument instrument in FedLearnInstruments.Concat(RuntimeInstruments()))
        {
            string exportedAs = RuntimeMetricRenames.Names.GetValueOrDefault(instrument.Name, instrument.Name);
            names.UnionWith(PrometheusNames.Series(exportedAs, instrument.Unit, KindOf(instrument)));
        }

        foreach ((string name, string unit, PrometheusKind kind) in AspNetCore)
        {
            names.UnionWith(PrometheusNames.Series(name, unit, kind));
        }

        return names;
    }

    public static PrometheusKind KindOf(Instrument instrument)
    {
        Type type = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
        {
            return PrometheusKind.Counter;
        }

        if (type == typeof(Histogram<>))
        {
            return PrometheusKind.Histogram;
        }

        if (type == typeof(UpDownCounter<>) || type == typeof(ObservableUpDownCounter<>) || type == typeof(Gauge<>) || type == typeof(ObservableGauge<>))
        {
            return PrometheusKind.Gauge;
        }

        throw new InvalidOperationException($"Instrument {instrument.Name} is a {instrument.GetType()}, which this test does not map to Prometheus.");
    }

    private static List<Instrument> FindFedLearnInstruments()
    {
        // Load every FedLearn assembly next to the tests, then read every static field and property whose type is an
        // instrument: reading it runs the type initializer that creates it.
        string directory = AppContext.BaseDirectory;
        var instruments = new Dictionary<string, Instrument>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(directory, "FedLearn.*.dll").Where(p => !Path.GetFileName(p).Contains(".Tests", StringComparison.Ordinal)))
        {
            Assembly assembly = Assembly.LoadFrom(path);
            foreach (Type type in LoadableTypes(assembly).Where(t => !t.ContainsGenericParameters))
            {
                const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
                IEnumerable<object?> values = type.GetProperties(Static).Where(p => typeof(Instrument).IsAssignableFrom(p.PropertyType) && p.GetIndexParameters().Length == 0).Select(p => p.GetValue(null))
                    .Concat(type.GetFields(Static).Where(f => typeof(Instrument).IsAssignableFrom(f.FieldType)).Select(f => f.GetValue(null)));
                foreach (Instrument instrument in values.OfType<Instrument>().Where(i => i.Meter.Name == Telemetry.FedLearnTelemetry.Name))
                {
                    instruments[instrument.Name] = instrument;
                }
            }
        }

        return instruments.Values.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The assembly's types; when some cannot load (a dependency this test does not ship), the others.</summary>
    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            return exception.Types.OfType<Type>();
        }
    }

    private static List<Instrument> RuntimeInstruments()
    {
        var found = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "System.Runtime")
                {
                    found.Add(instrument);
                }
            },
        };
        listener.Start();
        return found;
    }
}
