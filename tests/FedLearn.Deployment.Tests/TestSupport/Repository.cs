using System.Reflection;

namespace FedLearn.Deployment.Tests.TestSupport;

/// <summary>Where the repository is (recorded at build time).</summary>
internal static class Repository
{
    public static string Root { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FedLearn.RepositoryRoot").Value
        ?? throw new InvalidOperationException("Assembly metadata FedLearn.RepositoryRoot is missing.");

    public static string K8s { get; } = Path.Combine(Root, "samples", "k8s");
}
