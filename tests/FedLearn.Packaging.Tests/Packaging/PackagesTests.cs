using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FedLearn.Packaging.Tests.TestSupport;
using NUnit.Framework;

namespace FedLearn.Packaging.Tests.Packaging;

/// <summary>
/// Packs every src project and checks the packages as nuget.org and a host app see them: metadata, README, XML docs,
/// symbols, dependencies; then proves the "dotnet add package" story end to end with a fresh console app.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class PackagesTests
{
    private PackedFeed _feed = null!;

    [OneTimeSetUp]
    public void PackEverything() => _feed = PackedFeed.Create();

    [OneTimeTearDown]
    public void DeleteFeed() => _feed?.Dispose();

    public static IEnumerable<string> Projects => Repository.SourceProjects;

    [TestCaseSource(nameof(Projects))]
    public void Each_package_carries_its_metadata_readme_xml_docs_and_a_symbols_package(string id)
    {
        Assert.That(File.Exists(_feed.PackagePath(id)), Is.True, $"{id}.nupkg was not produced");
        using ZipArchive package = ZipFile.OpenRead(_feed.PackagePath(id));
        XDocument nuspec = XDocument.Load(package.Entries.Single(e => e.FullName == $"{id}.nuspec").Open());
        XNamespace ns = nuspec.Root!.Name.Namespace;
        XElement metadata = nuspec.Root.Element(ns + "metadata")!;
        string? Field(string name) => metadata.Element(ns + name)?.Value;

        Assert.Multiple(() =>
        {
            Assert.That(Field("id"), Is.EqualTo(id));
            Assert.That(Field("version"), Is.EqualTo(_feed.Version));
            Assert.That(Field("description"), Is.Not.Empty.And.Not.EqualTo("Package Description"));
            Assert.That(Field("authors"), Is.Not.Empty);
            XElement license = metadata.Element(ns + "license")!;
            Assert.That((license.Attribute("type")?.Value, license.Value), Is.EqualTo(("expression", "MIT")));
            Assert.That(Field("readme"), Is.EqualTo("README.md"));
            Assert.That(package.GetEntry("README.md"), Is.Not.Null, "the README is inside the package");
            Assert.That(Field("tags")!.Split(' '), Does.Contain("federated-learning"));
            Assert.That(Field("tags")!.Split(' '), Has.Length.GreaterThan(4), "tags of its own beside the shared ones");
            XElement repository = metadata.Element(ns + "repository")!;
            Assert.That(repository.Attribute("type")?.Value, Is.EqualTo("git"));
            Assert.That(repository.Attribute("url")?.Value, Does.StartWith("https://"));
            Assert.That(repository.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"), "the commit the package was built from");
            Assert.That(package.GetEntry($"lib/net10.0/{id}.dll"), Is.Not.Null);
            Assert.That(package.GetEntry($"lib/net10.0/{id}.xml"), Is.Not.Null, "XML docs ship with the assembly");
        });

        // Every package but Core depends on Core (Torch also on Privacy), each at exactly the version packed with it.
        XElement[] fedLearnDependencies = metadata.Descendants(ns + "dependency")
            .Where(d => d.Attribute("id")!.Value.StartsWith("FedLearn.", StringComparison.Ordinal))
            .ToArray();
        Assert.That(fedLearnDependencies.Select(d => d.Attribute("id")!.Value), id == "FedLearn.Core" ? Is.Empty : Does.Contain("FedLearn.Core"));
        Assert.That(fedLearnDependencies.Select(d => d.Attribute("version")!.Value), Has.All.EqualTo(_feed.Version));
        Assert.That(fedLearnDependencies.Select(d => d.Attribute("id")!.Value), Has.None.EqualTo(id), "no package depends on itself");

        Assert.That(File.Exists(_feed.SymbolPackagePath(id)), Is.True, $"{id}.snupkg was not produced");
        using ZipArchive symbols = ZipFile.OpenRead(_feed.SymbolPackagePath(id));
        Assert.That(symbols.GetEntry($"lib/net10.0/{id}.pdb"), Is.Not.Null);
    }

    [Test]
    public void A_fresh_console_app_adds_the_packed_packages_compiles_every_docs_snippet_and_runs_the_getting_started_federation()
    {
        string app = Path.Combine(Path.GetTempPath(), "fedlearn-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(app);
        try
        {
            // The local feed first; the registry the repository uses serves every other dependency.
            File.WriteAllText(Path.Combine(app, "nuget.config"), NuGetConfig(_feed.Directory));
            TimeSpan limit = TimeSpan.FromMinutes(3);
            Dotnet.Run(app, limit, "new", "console", "--framework", "net10.0", "--name", "FedHello", "--output", ".", "--no-update-check");
            // Every add but the last only edits the project; the last restores them all from the feeds. The program
            // uses Core and Compression; the others are there so that every package page's snippet compiles too.
            string[] packages = ["FedLearn.Core", "FedLearn.Robust", "FedLearn.Privacy", "FedLearn.Torch", "FedLearn.Compression"];
            foreach (string package in packages)
            {
                string[] add = package == packages[^1]
                    ? ["add", "package", package, "--version", _feed.Version]
                    : ["add", "package", package, "--version", _feed.Version, "--no-restore"];
                Dotnet.Run(app, limit, add);
            }

            File.WriteAllText(Path.Combine(app, "Program.cs"), GettingStartedProgram());
            string[] snippets = WritePackagePageSnippets(app);
            Assert.That(snippets, Is.SupersetOf(Repository.SourceProjects), "every package page has a snippet");

            Dotnet.Run(app, limit, "build", "-c", "Release");
            string output = Dotnet.Run(app, limit, "run", "-c", "Release", "--no-build");

            TestContext.Out.WriteLine(output);
            Assert.That(Regex.Matches(output, @"^round \d+: ", RegexOptions.Multiline), Has.Count.EqualTo(5), output);
            Match accuracy = AccuracyLine().Match(output);
            Assert.That(accuracy.Success, Is.True, output);
            // Chance is 0.1 on ten classes; the bar is five times chance, far below what a working federation reaches
            // here (docs/getting-started.md) and far above what a broken one (no learning, wrong aggregation) would.
            Assert.That(double.Parse(accuracy.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0.5), output);
            string assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
            Assert.That(assets, Does.Contain($"\"FedLearn.Core/{_feed.Version}\""), "the packed Core came from the local feed");
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }

    /// <summary>The program in docs/getting-started.md, the block after the packaging-test marker.</summary>
    private static string GettingStartedProgram()
    {
        string page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "getting-started.md"));
        Match block = ProgramBlock().Match(page);
        Assert.That(block.Success, Is.True, "docs/getting-started.md has no csharp block after '<!-- packaging-test: Program.cs -->'");
        return block.Groups[1].Value;
    }

    /// <summary>
    /// Writes the snippet of each docs/packages/*.md page (the csharp block after '&lt;!-- packaging-test: snippet --&gt;')
    /// as a static method of its own class, its usings on top, so that building the app compiles every snippet.
    /// Returns the packages whose page had a snippet.
    /// </summary>
    private static string[] WritePackagePageSnippets(string app)
    {
        var found = new List<string>();
        foreach (string page in Directory.GetFiles(Path.Combine(Repository.Root, "docs", "packages"), "*.md"))
        {
            Match block = SnippetBlock().Match(File.ReadAllText(page));
            if (!block.Success)
            {
                continue;
            }

            string package = Path.GetFileNameWithoutExtension(page);
            string[] lines = block.Groups[1].Value.Split('\n');
            IEnumerable<string> usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';') && !l.Contains('=', StringComparison.Ordinal));
            IEnumerable<string> body = lines.Where(l => !usings.Contains(l));
            string source = string.Join('\n', usings)
                + $"\n\ninternal static class {package.Replace('.', '_')}_Snippet\n{{\n    public static async System.Threading.Tasks.Task RunAsync()\n    {{\n"
                + string.Join('\n', body.Select(l => "        " + l))
                + "\n    }\n}\n";
            File.WriteAllText(Path.Combine(app, package.Replace('.', '_') + "_Snippet.cs"), source);
            found.Add(package);
        }

        return [.. found];
    }

    /// <summary>A nuget.config with the local feed first and then the package sources of the repository's own nuget.config.</summary>
    private static string NuGetConfig(string feed)
    {
        XDocument repository = XDocument.Load(Path.Combine(Repository.Root, "nuget.config"));
        IEnumerable<XElement> sources = repository.Root!.Element("packageSources")!.Elements("add").Select(e => new XElement(e));
        var config = new XDocument(new XElement(
            "configuration",
            new XElement("packageSources", new XElement("clear"), new XElement("add", new XAttribute("key", "fedlearn-local"), new XAttribute("value", feed)), sources)));
        return config.ToString();
    }

    [GeneratedRegex(@"<!-- packaging-test: Program\.cs -->\s*```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ProgramBlock();

    [GeneratedRegex(@"<!-- packaging-test: snippet -->\s*```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SnippetBlock();

    [GeneratedRegex(@"^test accuracy: ([0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex AccuracyLine();
}
