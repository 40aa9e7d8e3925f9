namespace FedLearn.Privacy.Flags;

/// <summary>The kind of differential privacy a simulation runs with.</summary>
public enum DpMode
{
    /// <summary>No differential privacy (<c>none</c>).</summary>
    None,

    /// <summary>Record-level DP-SGD on every client, with noise calibrated to a target ε (<c>sample:eps=…,delta=…,clip=…</c>).</summary>
    Sample,

    /// <summary>Client-level DP-FedAvg with fixed clipping (<c>client:noise=…,clip=…</c>).</summary>
    Client,

    /// <summary>Client-level DP-FedAvg with adaptive clipping (<c>client-adaptive:noise=…,quantile=…</c>).</summary>
    ClientAdaptive,
}
