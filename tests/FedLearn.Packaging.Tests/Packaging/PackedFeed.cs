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
        foreach (string project in Repository.SourceProjects)
        {
            Dotnet.Run(
                Repository.Root,
                TimeSpan.FromMinutes(3),
                "pack",
                Path.Combine("src", project, project + ".csproj"),
                "-c", Repository.Configuration,
                "--no-build",
                "-o", directory,
                "-p:PackageVersion=" + version);
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
