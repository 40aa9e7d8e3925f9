using System.Text.Json;
using FedLearn.Deployment.Tests.TestSupport;
using NUnit.Framework;

namespace FedLearn.Deployment.Tests.Kubernetes;

/// <summary>
/// Renders every overlay under samples/k8s/overlays with 'kubectl kustomize' (offline), validates every rendered object
/// against the Kubernetes schemas (samples/k8s/validate, kubernetes-models from npm), and checks the shape the
/// reference design asks for.
/// </summary>
[TestFixture]
public sealed class KustomizeOverlaysTests
{
    public static IEnumerable<string> Overlays => Kustomize.Overlays;

    [Test]
    public void There_is_a_dev_and_a_prod_overlay() => Assert.That(Overlays, Is.SupersetOf(new[] { "dev", "prod" }));

    [TestCaseSource(nameof(Overlays))]
    public void Every_rendered_object_is_valid_against_the_kubernetes_schemas(string overlay)
    {
        JsonElement[] objects = RenderAndValidate(overlay);

        Assert.That(objects.Select(o => o.GetProperty("kind").GetString()), Is.SupersetOf(new[]
        {
            "Deployment", "Service", "HorizontalPodAutoscaler", "StatefulSet", "PersistentVolumeClaim", "ConfigMap", "Secret", "DaemonSet",
        }));
    }

    [TestCaseSource(nameof(Overlays))]
    public void The_federation_has_the_reference_shape(string overlay)
    {
        JsonElement[] objects = RenderAndValidate(overlay);

        JsonElement server = Find(objects, "Deployment", "fedlearn-server");
        Assert.That(server.GetProperty("spec").GetProperty("replicas").GetInt32(), Is.EqualTo(1));
        JsonElement serverContainer = Container(server);
        Assert.That(Resources(serverContainer), Is.EqualTo(("500m", "512Mi", "1", "1Gi")));
        Assert.That(Ports(serverContainer), Is.EquivalentTo(new[] { 50051, 9464 }));
        AssertProbes(serverContainer);

        JsonElement service = Find(objects, "Service", "fedlearn-server");
        Assert.That(service.GetProperty("spec").GetProperty("type").GetString(), Is.EqualTo("ClusterIP"));
        Assert.That(service.GetProperty("spec").GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("port").GetInt32()), Is.EquivalentTo(new[] { 50051, 9464 }));

        // The clients are a StatefulSet: stable pod names, one client identity each (ClientIdentityTests).
        JsonElement clients = Find(objects, "StatefulSet", "fedlearn-client");
        Assert.That(Ports(Container(clients)), Is.EquivalentTo(new[] { 9465 }));
        AssertProbes(Container(clients));
        JsonElement hpa = Find(objects, "HorizontalPodAutoscaler", "fedlearn-client").GetProperty("spec");
        Assert.That(hpa.GetProperty("scaleTargetRef").GetProperty("kind").GetString(), Is.EqualTo("StatefulSet"));
        Assert.That(hpa.GetProperty("scaleTargetRef").GetProperty("name").GetString(), Is.EqualTo("fedlearn-client"));
        Assert.That(hpa.GetProperty("minReplicas").GetInt32(), Is.EqualTo(2));
        if (overlay == "prod")
        {
            Assert.That(clients.GetProperty("spec").GetProperty("replicas").GetInt32(), Is.EqualTo(5));
            Assert.That(Resources(Container(clients)), Is.EqualTo(("1", "1Gi", "2", "2Gi")));
            Assert.That(hpa.GetProperty("maxReplicas").GetInt32(), Is.EqualTo(20));
        }

        JsonElement claim = Find(objects, "PersistentVolumeClaim", "mlflow-data");
        Assert.That(claim.GetProperty("spec").GetProperty("resources").GetProperty("requests").GetProperty("storage").GetString(), Is.EqualTo("10Gi"));
        JsonElement mlflow = Find(objects, "StatefulSet", "mlflow");
        Assert.That(mlflow.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("volumes")[0].GetProperty("persistentVolumeClaim").GetProperty("claimName").GetString(), Is.EqualTo("mlflow-data"));

        // The apps read their settings from FEDLEARN_-prefixed variables; the ConfigMap the server uses carries them.
        string serverConfig = server.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("envFrom")[0].GetProperty("configMapRef").GetProperty("name").GetString()!;
        JsonElement config = Find(objects, "ConfigMap", serverConfig).GetProperty("data");
        Assert.That(config.EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "FEDLEARN_FedLearn__Server__Rounds", "FEDLEARN_FedLearn__Server__Lr", "FEDLEARN_FedLearn__Server__Clients", "FEDLEARN_FedLearn__Server__Compression" }));

        // Grafana gets exactly the dashboards the repository holds.
        JsonElement dashboards = objects.Single(o => o.GetProperty("kind").GetString() == "ConfigMap" && o.GetProperty("metadata").GetProperty("name").GetString()!.StartsWith("grafana-dashboards", StringComparison.Ordinal));
        Assert.That(dashboards.GetProperty("data").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(Directory.GetFiles(Path.Combine(Repository.K8s, "base", "grafana", "dashboards"), "*.json").Select(Path.GetFileName)));
    }

    [Test]
    public void The_validator_rejects_an_invalid_object()
    {
        const string Invalid = "apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n    - port: grpc\n";
        (int exitCode, _, string error) = Tool.Run("node", Path.Combine(Repository.K8s, "validate"), Invalid, "validate.mjs");

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("FAIL").And.Contain("port must be integer"));
    }

    [Test]
    public void The_prometheus_scrape_configuration_passes_promtool()
    {
        (int exitCode, string output, string error) = Tool.Run("promtool", Repository.K8s, null, "check", "config", "--syntax-only", Path.Combine("base", "prometheus", "prometheus.yml"));

        Assert.That(exitCode, Is.EqualTo(0), output + error);
    }

    private static JsonElement[] RenderAndValidate(string overlay) => Kustomize.RenderAndValidate(overlay);

    private static JsonElement Find(JsonElement[] objects, string kind, string name) => Kustomize.Find(objects, kind, name);

    private static JsonElement Container(JsonElement workload) => Kustomize.Container(workload);

    private static int[] Ports(JsonElement container) => container.GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("containerPort").GetInt32()).ToArray();

    private static (string, string, string, string) Resources(JsonElement container)
    {
        JsonElement resources = container.GetProperty("resources");
        JsonElement requests = resources.GetProperty("requests");
        JsonElement limits = resources.GetProperty("limits");
        return (requests.GetProperty("cpu").GetString()!, requests.GetProperty("memory").GetString()!, limits.GetProperty("cpu").GetString()!, limits.GetProperty("memory").GetString()!);
    }

    private static void AssertProbes(JsonElement container)
    {
        foreach (string probe in new[] { "livenessProbe", "readinessProbe" })
        {
            JsonElement get = container.GetProperty(probe).GetProperty("httpGet");
            Assert.That(get.GetProperty("path").GetString(), Is.EqualTo("/healthz"), probe);
            Assert.That(get.GetProperty("port").GetString(), Is.EqualTo("management"), probe);
        }
    }
}
