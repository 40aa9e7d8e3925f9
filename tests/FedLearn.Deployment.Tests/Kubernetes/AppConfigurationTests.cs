using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using FedLearn.Compression;
using FedLearn.Data;
using FedLearn.Deployment.Tests.TestSupport;
using NUnit.Framework;

namespace FedLearn.Deployment.Tests.Kubernetes;

/// <summary>
/// Every <c>FEDLEARN_</c> variable the rendered manifests give the server and client containers is a configuration key
/// the app binds (a property of its settings type, read by reflection from the built app), with a value of the
/// property's type; server and clients agree on the compression chain.
/// </summary>
[TestFixture]
public sealed class AppConfigurationTests
{
    private const string Prefix = "FEDLEARN_";

    private static readonly Type ServerSettings = SettingsType(SampleApps.ServerAssembly, "FedLearn.Samples.Server.ServerSettings");
    private static readonly Type ClientSettings = SettingsType(SampleApps.ClientAssembly, "FedLearn.Samples.Client.ClientSettings");

    public static IEnumerable<string> Overlays => Kustomize.Overlays;

    [TestCaseSource(nameof(Overlays))]
    public void Every_FEDLEARN_variable_of_the_apps_is_a_key_they_bind(string overlay)
    {
        JsonElement[] objects = Kustomize.RenderAndValidate(overlay);
        Dictionary<string, string?> server = Variables(objects, "Deployment", "fedlearn-server");
        Dictionary<string, string?> client = Variables(objects, "StatefulSet", "fedlearn-client");

        Assert.Multiple(() =>
        {
            Assert.That(Problems(ServerSettings, server), Is.Empty, "fedlearn-server");
            Assert.That(Problems(ClientSettings, client), Is.Empty, "fedlearn-client");

            // The settings the deployment promises to make configurable are set explicitly.
            Assert.That(server.Keys, Is.SupersetOf(new[] { "Clients", "MinClients", "Rounds", "Lr", "TargetEpsilon", "Compression", "Certificate", "Key", "CaCertificate" }.Select(k => Variable(ServerSettings, k))));
            Assert.That(client.Keys, Is.SupersetOf(new[] { "PodName", "Server", "Clients", "Compression", "Certificate", "Key", "CaCertificate" }.Select(k => Variable(ClientSettings, k))));
        });

        // The server decodes what the clients encode: one chain, and one the compression package accepts.
        string serverChain = server[Variable(ServerSettings, "Compression")]!;
        Assert.That(client[Variable(ClientSettings, "Compression")], Is.EqualTo(serverChain));
        if (serverChain != "none")
        {
            Assert.That(() => CompressionPipelineBuilder.Parse(serverChain).Build(), Throws.Nothing, serverChain);
        }
    }

    [Test]
    public void A_key_the_app_does_not_bind_or_a_value_of_the_wrong_type_is_reported()
    {
        var variables = new Dictionary<string, string?>
        {
            ["FEDLEARN_FedLearn__Server__LearningRate"] = "0.05",
            ["FEDLEARN_FedLearn__Server__Privacy__TargetEpsilon"] = "8",
            ["FEDLEARN_FedLearn__Client__Rounds"] = "5",
            ["FEDLEARN_FedLearn__Server__Rounds"] = "many",
            ["FEDLEARN_FedLearn__Server__Lr"] = "0.05",
            ["FEDLEARN_DATA"] = "/data",
        };

        string[] problems = Problems(ServerSettings, variables);

        Assert.That(problems, Has.Length.EqualTo(4));
        Assert.That(problems, Has.Some.Contains("LearningRate").And.Some.Contains("Privacy__TargetEpsilon").And.Some.Contains("Client__Rounds").And.Some.Contains("'many'"));
    }

    /// <summary>What is wrong with the variables, one line per variable; empty when the app binds them all.</summary>
    private static string[] Problems(Type settings, IReadOnlyDictionary<string, string?> variables)
    {
        string section = (string)settings.GetField("Section")!.GetRawConstantValue()!;
        var problems = new List<string>();
        foreach ((string name, string? value) in variables.Where(v => v.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)))
        {
            // Read by the data loader itself, not through configuration.
            if (name == FashionMnist.DataDirectoryVariable)
            {
                continue;
            }

            // Configuration keys are case-insensitive; '__' in a variable name is the ':' between levels.
            string key = name[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal);
            PropertyInfo? property = key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)
                ? settings.GetProperty(key[(section.Length + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                : null;
            if (property is null)
            {
                problems.Add($"{name}: {settings.Name} has no key {key} (it binds {section}:{{{string.Join(", ", settings.GetProperties().Select(p => p.Name))}}})");
                continue;
            }

            if (value is not null && !Converts(property.PropertyType, value))
            {
                problems.Add($"{name}: '{value}' is not a {property.PropertyType.Name}");
            }
        }

        return problems.ToArray();
    }

    private static bool Converts(Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception exception) when (exception is FormatException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    private static string Variable(Type settings, string property) =>
        Prefix + ((string)settings.GetField("Section")!.GetRawConstantValue()!).Replace(":", "__", StringComparison.Ordinal) + "__" + property;

    /// <summary>The environment of the workload's container: its env entries (null value when set from a field) and the data of the ConfigMaps it takes whole.</summary>
    private static Dictionary<string, string?> Variables(JsonElement[] objects, string kind, string workload)
    {
        JsonElement container = Kustomize.Container(Kustomize.Find(objects, kind, workload));
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (JsonElement source in container.TryGetProperty("envFrom", out JsonElement envFrom) ? envFrom.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            string configMap = source.GetProperty("configMapRef").GetProperty("name").GetString()!;
            foreach (JsonProperty entry in Kustomize.Find(objects, "ConfigMap", configMap).GetProperty("data").EnumerateObject())
            {
                variables[entry.Name] = entry.Value.GetString();
            }
        }

        foreach (JsonElement entry in container.TryGetProperty("env", out JsonElement env) ? env.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            variables[entry.GetProperty("name").GetString()!] = entry.TryGetProperty("value", out JsonElement value) ? value.GetString() : null;
        }

        return variables;
    }

    private static Type SettingsType(string assembly, string name) =>
        Assembly.LoadFrom(assembly).GetType(name, throwOnError: true)!;
}
