using System.Collections.Concurrent;
using FedLearn.Privacy;
using FedLearn.Privacy.Accounting;

namespace FedLearn.Samples.Server;

/// <summary>
/// The record-level ε of the federation's DP-SGD clients as the server knows it: each client declares its noise
/// multiplier and sampling rate when it joins, and every training reply says how many noisy steps it took; the
/// reported ε is the largest any client has spent (RDP accountant, one per client id, so a client that restarts keeps
/// its history here even though its own process starts counting again). Thread-safe.
/// </summary>
internal sealed class ClientDpSgdLedger : IPrivacyReporter
{
    private readonly ConcurrentDictionary<string, (double NoiseMultiplier, double SampleRate)> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RdpAccountant> _accountants = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>True once some client has declared DP-SGD.</summary>
    public bool Any => !_declared.IsEmpty;

    /// <summary>Records what a client declared when it joined.</summary>
    public void Declare(string clientId, double noiseMultiplier, double sampleRate) => _declared[clientId] = (noiseMultiplier, sampleRate);

    /// <summary>Charges a client for the steps of one training reply.</summary>
    public void Charge(string clientId, long steps)
    {
        if (steps <= 0 || !_declared.TryGetValue(clientId, out (double NoiseMultiplier, double SampleRate) declared))
        {
            return;
        }

        lock (_gate)
        {
            if (!_accountants.TryGetValue(clientId, out RdpAccountant? accountant))
            {
                _accountants[clientId] = accountant = new RdpAccountant();
            }

            accountant.AddSteps(declared.NoiseMultiplier, declared.SampleRate, steps);
        }
    }

    /// <inheritdoc />
    public PrivacyBudget Spent(double delta)
    {
        lock (_gate)
        {
            return new PrivacyBudget(_accountants.Count == 0 ? 0.0 : _accountants.Values.Max(a => a.GetEpsilon(delta)), delta);
        }
    }
}
