using System.Reflection;

namespace FedLearn.Deployment.Tests.TestSupport;

/// <summary>
/// The server and client sample apps as the build left them (the test project builds them without referencing
/// them): their output folders and main assemblies, in the configuration these tests were built with.
/// </summary>
internal static class SampleApps
{
    private static readonly string Configuration =
        typeof(SampleApps).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FedLearn.Configuration").Value
        ?? throw new InvalidOperationException("Assembly metadata FedLearn.Configuration is missing.");

    public static string ServerAssembly => AssemblyOf("FedLearn.Samples.Server");

    public static string ClientAssembly => AssemblyOf("FedLearn.Samples.Client");

    private static string AssemblyOf(string project)
    {
        string bin = Path.Combine(Repository.Root, "samples", project, "bin", Configuration);
        string? path = Directory.Exists(bin) ? Directory.GetFiles(bin, project + ".dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() : null;
        return path ?? throw new FileNotFoundException($"{project}.dll is not under {bin}: build the test project (it builds the sample apps) in {Configuration}.");
    }
}
