using System.Reflection;
using System.Text.Json;
using FedLearn.Deployment.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace FedLearn.Deployment.Tests.Kubernetes;

/// <summary>
/// Every client pod the rendered manifests can start is its own client: the clients are a StatefulSet (stable pod
/// names) governed by a headless Service, and for every pod the autoscaler may run, fedlearn-client-0 up to
/// maxReplicas − 1, the client app, configured the way the pod's environment configures it (the ConfigMap, the pod
/// name from the downward API) and resolved by the app's own code, has its own client id, its own data partition and
/// its own certificate and key in the mounted client Secret.
/// </summary>
[TestFixture]
public sealed class ClientIdentityTests
{
    private const string Prefix = "FEDLEARN_";
    private const string ClientSecret = "fedlearn-client-tls";

    private static readonly Type ClientSettings = Assembly.LoadFrom(SampleApps.ClientAssembly).GetType("FedLearn.Samples.Client.ClientSettings", throwOnError: true)!;

    public static IEnumerable<string> Overlays => Kustomize.Overlays;

    [TestCaseSource(nameof(Overlays))]
    public void The_clients_are_a_StatefulSet_with_a_headless_governing_service(string overlay)
    {
        JsonElement[] objects = Kustomize.RenderAndValidate(overlay);
        JsonElement spec = Kustomize.Find(objects, "StatefulSet", "fedlearn-client").GetProperty("spec");
        Assert.That(objects.Where(o => o.GetProperty("kind").GetString() == "Deployment").Select(o => o.GetProperty("metadata").GetProperty("name").GetString()), Does.Not.Contain("fedlearn-client"));

        JsonElement service = Kustomize.Find(objects, "Service", spec.GetProperty("serviceName").GetString()!).GetProperty("spec");
        Assert.That(service.GetProperty("clusterIP").GetString(), Is.EqualTo("None"), "a StatefulSet's governing Service is headless");
        JsonElement labels = spec.GetProperty("template").GetProperty("metadata").GetProperty("labels");
        foreach (JsonProperty selector in service.GetProperty("selector").EnumerateObject())
        {
            Assert.That(labels.TryGetProperty(selector.Name, out JsonElement label) ? label.GetString() : null, Is.EqualTo(selector.Value.GetString()), $"the Service selects the client pods by {selector.Name}");
        }
    }

    [TestCaseSource(nameof(Overlays))]
    public void Every_pod_the_autoscaler_may_run_has_its_own_id_partition_and_certificate(string overlay)
    {
        JsonElement[] objects = Kustomize.RenderAndValidate(overlay);
        JsonElement clients = Kustomize.Find(objects, "StatefulSet", "fedlearn-client");
        int maxReplicas = Kustomize.Find(objects, "HorizontalPodAutoscaler", "fedlearn-client").GetProperty("spec").GetProperty("maxReplicas").GetInt32();
        Assert.That(clients.GetProperty("spec").GetProperty("replicas").GetInt32(), Is.LessThanOrEqualTo(maxReplicas));
        string secretMount = MountPathOfSecret(clients, ClientSecret);

        var pods = Enumerable.Range(0, maxReplicas).Select(ordinal => $"fedlearn-client-{ordinal}").ToArray();
        var identities = pods.Select(pod => Resolve(objects, clients, pod)).ToArray();

        Assert.Multiple(() =>
        {
            for (int ordinal = 0; ordinal < pods.Length; ordinal++)
            {
                object settings = identities[ordinal];
                Assert.That(Get(settings, "ClientId"), Is.EqualTo(pods[ordinal]), "the client id is the pod name");
                Assert.That(Get(settings, "ClientIndex"), Is.EqualTo(ordinal), "the partition is the pod's ordinal");
                Assert.That(Get(settings, "Certificate"), Is.EqualTo($"{secretMount}/{pods[ordinal]}.crt"), "the certificate is the pod's own, from the client Secret");
                Assert.That(Get(settings, "Key"), Is.EqualTo($"{secretMount}/{pods[ordinal]}.key"));
                Assert.That(Get(settings, "CaCertificate"), Is.EqualTo($"{secretMount}/ca.crt"));
            }

            Assert.That(identities.Select(s => Get(s, "ClientIndex")), Is.Unique);
            Assert.That(identities.Select(s => Get(s, "Certificate")), Is.Unique);
            Assert.That(identities.Select(s => (int)Get(s, "Clients")!), Is.All.GreaterThanOrEqualTo(maxReplicas), "one data partition per pod the autoscaler may run");
        });
    }

    [TestCaseSource(nameof(Overlays))]
    public void A_pod_beyond_the_data_partitions_is_refused_with_a_message_that_says_why(string overlay)
    {
        JsonElement[] objects = Kustomize.RenderAndValidate(overlay);
        JsonElement clients = Kustomize.Find(objects, "StatefulSet", "fedlearn-client");
        int partitions = (int)Get(Resolve(objects, clients, "fedlearn-client-0"), "Clients")!;

        var refused = Assert.Throws<InvalidOperationException>(() => Resolve(objects, clients, $"fedlearn-client-{partitions}"));

        Assert.That(refused!.Message, Does.Contain($"ordinal {partitions}").And.Contain($"Clients = {partitions}").And.Contain("maxReplicas"));
    }

    /// <summary>The app's settings as pod <paramref name="pod"/> gets them: bound from its environment and resolved by the app.</summary>
    private static object Resolve(JsonElement[] objects, JsonElement statefulSet, string pod)
    {
        string section = (string)ClientSettings.GetField("Section")!.GetRawConstantValue()!;
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(PodEnvironment(objects, statefulSet, pod)
                .Where(v => v.Key.StartsWith(Prefix, StringComparison.Ordinal))
                .Select(v => new KeyValuePair<string, string?>(v.Key[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal), v.Value)))
            .Build();
        object settings = configuration.GetSection(section).Get(ClientSettings) ?? throw new InvalidOperationException("The pod's environment binds no client settings.");
        try
        {
            ClientSettings.GetMethod("ResolveIdentity")!.Invoke(settings, null);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }

        return settings;
    }

    /// <summary>The container's environment in pod <paramref name="pod"/>: the ConfigMaps it takes whole, then its env entries with the downward API fields filled in.</summary>
    private static Dictionary<string, string> PodEnvironment(JsonElement[] objects, JsonElement statefulSet, string pod)
    {
        JsonElement container = Kustomize.Container(statefulSet);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement source in container.TryGetProperty("envFrom", out JsonElement envFrom) ? envFrom.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            foreach (JsonProperty entry in Kustomize.Find(objects, "ConfigMap", source.GetProperty("configMapRef").GetProperty("name").GetString()!).GetProperty("data").EnumerateObject())
            {
                variables[entry.Name] = entry.Value.GetString()!;
            }
        }

        foreach (JsonElement entry in container.TryGetProperty("env", out JsonElement env) ? env.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            string name = entry.GetProperty("name").GetString()!;
            if (entry.TryGetProperty("value", out JsonElement value))
            {
                variables[name] = value.GetString()!;
                continue;
            }

            string field = entry.GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString()!;
            Assert.That(field, Is.EqualTo("metadata.name"), $"{name} comes from a pod field this test does not model");
            variables[name] = pod;
        }

        return variables;
    }

    private static string MountPathOfSecret(JsonElement workload, string secret)
    {
        JsonElement pod = workload.GetProperty("spec").GetProperty("template").GetProperty("spec");
        string volume = pod.GetProperty("volumes").EnumerateArray()
            .Single(v => v.TryGetProperty("secret", out JsonElement s) && s.GetProperty("secretName").GetString() == secret)
            .GetProperty("name").GetString()!;
        return Kustomize.Container(workload).GetProperty("volumeMounts").EnumerateArray()
            .Single(m => m.GetProperty("name").GetString() == volume)
            .GetProperty("mountPath").GetString()!;
    }

    private static object? Get(object settings, string property) => ClientSettings.GetProperty(property)!.GetValue(settings);
}
