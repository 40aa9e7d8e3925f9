using System.Collections.Concurrent;
using FedLearn.Server;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>Records the process's resident memory (native included) at the end of every round.</summary>
internal sealed class MemoryProbe : IRoundObserver
{
    private readonly ConcurrentDictionary<int, long> _resident = new();

    public long ResidentBytesAfter(int round) => _resident.GetValueOrDefault(round);

    public void OnRoundStarted(int round, IReadOnlyList<string> sampled)
    {
    }

    public void OnClientFinished(int round, string clientId, bool succeeded, int finished, int sampled)
    {
    }

    public void OnRoundCompleted(RoundResult result) => _resident[result.Round] = PeakMemory.ReadCurrentBytes();
}
