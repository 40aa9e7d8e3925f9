namespace FedLearn.Server;

/// <summary>Decides whether a connected client may be sampled (for example, to stop sampling a client flagged too often).</summary>
public interface IClientEligibility
{
    /// <summary>True when <paramref name="clientId"/> may be sampled in <paramref name="round"/>.</summary>
    bool IsEligible(string clientId, int round);
}
