using System.Globalization;
using FedLearn.Packaging.Tests.TestSupport;

namespace FedLearn.Packaging.Tests.Packaging;

/// <summary>
/// A local folder feed holding every src project packed once (Release outputs, <c>dotnet pack --no-build</c>) under a
/// version no other run uses, so NuGet's global package cache can never serve a stale copy. Disposing it deletes the
/// feed and that version from the cache.
/// </summary>
internal sealed class PackedFeed : IDisposable
{
    private PackedFeed(string directory, string version)
    {
        Directory = directory;
        Version = version;
    }

    public string Directory { get; }

    public string Version { get; }

    public static PackedFeed Create()
    {
        string version = "0.1.0-packtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        string directory = Path.Combine(Path.GetTempPath(), "fedlearn-feed-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        // One invocation for the whole solution: projects that are not packable (tests, samples, benchmarks) pack nothing.
        Dotnet.Run(
            Repository.Root,
            TimeSpan.FromMinutes(4),
            "pack",
            "FedLearn.sln",
            "-c", Repository.Configuration,
            "--no-build",
            "-o", directory,
            "-p:PackageVersion=" + version);
        string[] produced = System.IO.Directory.GetFiles(directory, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        string[] expected = Repository.SourceProjects.Select(p => $"{p}.{version}.nupkg").Order(StringComparer.Ordinal).ToArray();
        if (!produced.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"dotnet pack produced [{string.Join(", ", produced)}], expected one package per src project: [{string.Join(", ", expected)}].");
        }

        return new PackedFeed(directory, version);
    }

    public string PackagePath(string id) => Path.Combine(Directory, $"{id}.{Version}.nupkg");

    public string SymbolPackagePath(string id) => Path.Combine(Directory, $"{id}.{Version}.snupkg");

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string project in Repository.SourceProjects)
        {
            string cached = Path.Combine(cache, project.ToLowerInvariant(), Version);
            if (System.IO.Directory.Exists(cached))
            {
                System.IO.Directory.Delete(cached, recursive: true);
            }
        }
    }
}
