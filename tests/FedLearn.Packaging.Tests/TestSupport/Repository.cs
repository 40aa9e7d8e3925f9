using System.Reflection;

namespace FedLearn.Packaging.Tests.TestSupport;

/// <summary>Where the repository is and how the projects under test were built (recorded at build time).</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("FedLearn.RepositoryRoot");

    public static string Configuration { get; } = Metadata("FedLearn.Configuration");

    /// <summary>The packable projects: every project under src/.</summary>
    public static IReadOnlyList<string> SourceProjects { get; } =
        Directory.GetDirectories(Path.Combine(Root, "src")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}
