namespace FedLearn.Samples.Shared;

/// <summary>
/// The .NET runtime instruments the server and client apps export under another name. These three are up-down
/// counters (Prometheus gauges) whose names end in <c>.count</c>; exported as they are, a gauge series ending in
/// <c>_count</c> reads like a histogram's count and <c>promtool check metrics</c> rejects the exposition. Compiled into
/// both apps and into tests/FedLearn.Deployment.Tests, which derives the exported names from the same table.
/// </summary>
internal static class RuntimeMetricRenames
{
    /// <summary>Instrument name → the name the apps export it under.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assembly.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timer.active",
    };
}
