namespace FedLearn.Privacy.SecureAggregation;

/// <summary>What the SecAgg+ server remembers of one round's set-up: who is who, their public keys, the graph, who shared.</summary>
internal sealed class SecAggPlusRoundState
{
    public SecAggPlusRoundState(int round, SecAggPlusParameters parameters, IReadOnlyList<string> clients)
    {
        Round = round;
        Parameters = parameters;
        Clients = clients;
        IndexOf = clients.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i + 1, StringComparer.Ordinal);
        EncryptionKeys = new byte[clients.Count + 1][];
        MaskingKeys = new byte[clients.Count + 1][];
        Shared = new bool[clients.Count + 1];
    }

    public int Round { get; }

    public SecAggPlusParameters Parameters { get; }

    /// <summary>The sampled clients; client index i (1-based) is Clients[i − 1].</summary>
    public IReadOnlyList<string> Clients { get; }

    public Dictionary<string, int> IndexOf { get; }

    /// <summary>Public keys by client index (null: not advertised).</summary>
    public byte[]?[] EncryptionKeys { get; }

    /// <summary>Public keys by client index (null: not advertised).</summary>
    public byte[]?[] MaskingKeys { get; }

    /// <summary>Neighbours (client indices) by client index, for the clients that advertised keys.</summary>
    public Dictionary<int, int[]> Neighbours { get; } = [];

    /// <summary>True for the clients whose shares were forwarded (the set U2 of the protocol).</summary>
    public bool[] Shared { get; }

    public bool AreNeighbours(int a, int b) => Neighbours.TryGetValue(a, out int[]? list) && Array.BinarySearch(list, b) >= 0;
}
