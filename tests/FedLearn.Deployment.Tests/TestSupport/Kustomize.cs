using System.Text.Json;
using NUnit.Framework;

namespace FedLearn.Deployment.Tests.TestSupport;

/// <summary>Renders an overlay of samples/k8s with 'kubectl kustomize' and validates it with samples/k8s/validate.</summary>
internal static class Kustomize
{
    public static IEnumerable<string> Overlays =>
        Directory.GetDirectories(Path.Combine(Repository.K8s, "overlays")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>The overlay's objects as JSON; fails the test when it does not render or an object is not valid.</summary>
    public static JsonElement[] RenderAndValidate(string overlay)
    {
        (int renderExit, string rendered, string renderError) = Tool.Run("kubectl", Repository.K8s, null, "kustomize", Path.Combine("overlays", overlay));
        Assert.That(renderExit, Is.EqualTo(0), $"kubectl kustomize overlays/{overlay} failed:\n{renderError}");

        (int validateExit, string json, string report) = Tool.Run("node", Path.Combine(Repository.K8s, "validate"), rendered, "validate.mjs", "--json");
        Assert.That(validateExit, Is.EqualTo(0), $"overlays/{overlay} has objects that are not valid Kubernetes objects:\n{report}");
        return JsonDocument.Parse(json).RootElement.EnumerateArray().ToArray();
    }

    public static JsonElement Find(JsonElement[] objects, string kind, string name) =>
        objects.Single(o => o.GetProperty("kind").GetString() == kind && o.GetProperty("metadata").GetProperty("name").GetString() == name);

    public static JsonElement Container(JsonElement workload) => workload.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
}
