namespace FedLearn.Samples.Client;

/// <summary>The client's identity when it runs as a pod of a StatefulSet (see <see cref="ClientIdentity"/>).</summary>
public sealed partial class ClientSettings
{
    /// <summary>
    /// The pod's name, e.g. from the downward API (<c>fieldRef: metadata.name</c>); none outside Kubernetes. When set,
    /// it is the client's id (<see cref="ClientId"/> must then be unset or equal), its trailing ordinal is the
    /// partition (<see cref="ClientIndex"/> is ignored and must be below <see cref="Clients"/>), and
    /// <c>{ClientId}</c> in <see cref="Certificate"/> and <see cref="Key"/> picks the pod's own certificate.
    /// </summary>
    public string? PodName { get; set; }

    /// <summary>
    /// Replaces <see cref="ClientId"/>, <see cref="ClientIndex"/>, <see cref="Certificate"/> and <see cref="Key"/> with
    /// what <see cref="PodName"/> and the <c>{ClientId}</c> token make of them; idempotent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The settings name no usable identity; the message says which setting is wrong.</exception>
    public void ResolveIdentity()
    {
        ClientIdentity identity = ClientIdentity.Resolve(ClientId, PodName, ClientIndex, Clients, Certificate, Key);
        ClientId = identity.ClientId;
        ClientIndex = identity.ClientIndex;
        Certificate = identity.Certificate;
        Key = identity.Key;
    }
}
