namespace FedLearn.Samples.MembershipAudit;

/// <summary>The checked command-line settings of one audit run.</summary>
internal sealed record AuditSettings
{
    public required string Model { get; init; }

    public required int Members { get; init; }

    public required int NonMembers { get; init; }

    public required int Shadows { get; init; }

    /// <summary>Mislabelled canaries of the canary audit (0 = no canary audit).</summary>
    public required int Canaries { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }

    public required double Lr { get; init; }

    public required string Optimizer { get; init; }

    /// <summary>DP-SGD's per-sample clipping norm C (finite ε only).</summary>
    public required double DpClip { get; init; }

    /// <summary>The privacy levels to audit, in the order given; +∞ is non-private training.</summary>
    public required IReadOnlyList<double> Epsilons { get; init; }

    public required double Delta { get; init; }

    public required double Confidence { get; init; }

    public required ulong Seed { get; init; }

    public string? DataDir { get; init; }

    public string? Output { get; init; }

    public required int Threads { get; init; }
}
