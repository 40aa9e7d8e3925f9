using System.Globalization;

namespace FedLearn.Samples.Client;

/// <summary>
/// Who a client is: its id, its partition of the data and its certificate files (the settings <c>ClientId</c>,
/// <c>ClientIndex</c>, <c>Certificate</c> and <c>Key</c>), each set on its own outside Kubernetes. A pod of the clients'
/// StatefulSet is named <c>&lt;set&gt;-&lt;ordinal&gt;</c> (<c>fedlearn-client-0</c>, <c>fedlearn-client-1</c>, …) and
/// keeps that name across restarts and rescheduling; given it (<c>PodName</c>), the client takes the pod name as its id
/// and the ordinal as its partition, so every pod trains on its own partition and speaks for its own id.
/// <see cref="ClientIdToken"/> in the certificate and key paths stands for the id, so each pod picks its own files out
/// of one Secret that holds a certificate per pod (<c>&lt;id&gt;.crt</c>, <c>&lt;id&gt;.key</c>, as the server app's
/// <c>certs</c> command names them).
/// </summary>
/// <param name="ClientId">The id the client announces; the server accepts it only with a certificate issued for it.</param>
/// <param name="ClientIndex">The partition of the data, from 0 to the partition count − 1.</param>
/// <param name="Certificate">The client certificate's path.</param>
/// <param name="Key">The private key's path; <c>null</c> when the certificate file holds it.</param>
internal sealed record ClientIdentity(string ClientId, int ClientIndex, string Certificate, string? Key)
{
    /// <summary>Stands for the client id in <c>Certificate</c> and <c>Key</c>.</summary>
    public const string ClientIdToken = "{ClientId}";

    /// <summary>Resolves the identity from the settings; throws <see cref="InvalidOperationException"/> naming what is wrong.</summary>
    /// <param name="clientId">The configured id; empty or <c>null</c> to take the pod name.</param>
    /// <param name="podName">The pod's name (<c>metadata.name</c>); <c>null</c> or empty outside Kubernetes.</param>
    /// <param name="clientIndex">The configured partition; ignored when <paramref name="podName"/> is set.</param>
    /// <param name="clients">The number of partitions the data is split into.</param>
    /// <param name="certificate">The certificate path, possibly with <see cref="ClientIdToken"/>.</param>
    /// <param name="key">The key path, possibly with <see cref="ClientIdToken"/>.</param>
    public static ClientIdentity Resolve(string? clientId, string? podName, int clientIndex, int clients, string certificate, string? key)
    {
        if (clients < 1)
        {
            throw new InvalidOperationException($"Clients (the number of data partitions) is {clients}; it must be at least 1.");
        }

        string id = clientId?.Trim() ?? string.Empty;
        int index = clientIndex;
        if (!string.IsNullOrWhiteSpace(podName))
        {
            podName = podName.Trim();
            if (id.Length > 0 && !string.Equals(id, podName, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"ClientId '{id}' and PodName '{podName}' disagree: with PodName set, the client's id is the pod name; leave ClientId unset.");
            }

            id = podName;
            index = OrdinalOf(podName);
            if (index >= clients)
            {
                throw new InvalidOperationException(
                    $"Pod '{podName}' has ordinal {index}, but the data is split into only Clients = {clients} partitions: set Clients to the most replicas the clients' StatefulSet can have (the autoscaler's maxReplicas), so that every pod has a partition of its own.");
            }
        }

        if (id.Length == 0)
        {
            throw new InvalidOperationException("The client has no id: set ClientId, or PodName (in Kubernetes, the pod's metadata.name) to take the id and partition from the pod name.");
        }

        if (index < 0 || index >= clients)
        {
            throw new InvalidOperationException($"ClientIndex {index} is not a partition: it must be from 0 to Clients − 1 = {clients - 1}.");
        }

        return new ClientIdentity(id, index, Substitute(certificate, id, "Certificate"), key is null ? null : Substitute(key, id, "Key"));
    }

    /// <summary>The ordinal at the end of a StatefulSet pod's name (<c>fedlearn-client-12</c> → 12).</summary>
    /// <exception cref="InvalidOperationException">The name does not end in <c>-&lt;digits&gt;</c>.</exception>
    public static int OrdinalOf(string podName)
    {
        ArgumentNullException.ThrowIfNull(podName);
        int dash = podName.LastIndexOf('-');
        ReadOnlySpan<char> digits = dash < 0 ? [] : podName.AsSpan(dash + 1);
        if (dash <= 0 || digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9') || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal))
        {
            throw new InvalidOperationException(
                $"PodName '{podName}' does not end in '-<ordinal>': the client takes its partition from the ordinal of a StatefulSet pod's name, such as 'fedlearn-client-3'.");
        }

        return ordinal;
    }

    private static string Substitute(string path, string id, string setting)
    {
        if (!path.Contains(ClientIdToken, StringComparison.Ordinal))
        {
            return path;
        }

        if (id is "." or ".." || id.AsSpan().IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new InvalidOperationException($"Client id '{id}' cannot name a file, which {ClientIdToken} in {setting} ('{path}') asks for.");
        }

        return path.Replace(ClientIdToken, id, StringComparison.Ordinal);
    }
}
