using System.Diagnostics.Metrics;
using FedLearn.Telemetry;

namespace FedLearn.Privacy.Auditing;

/// <summary>The membership-inference audit's instruments on the shared FedLearn meter: how well the attacks succeed.</summary>
internal static class AuditTelemetry
{
    public static Gauge<double> AttackAuc { get; } = FedLearnTelemetry.Meter.CreateGauge<double>(
        "fedlearn.audit.attack.auc", "1", "AUC-ROC of the last membership-inference audit's attack, by attack (0.5 = no better than chance).");

    public static Gauge<double> EpsilonLowerBound { get; } = FedLearnTelemetry.Meter.CreateGauge<double>(
        "fedlearn.audit.epsilon.lower_bound", "1", "Empirical epsilon lower bound implied by the last audit's attack, by attack.");

    /// <summary>Publishes one attack's results.</summary>
    public static void Record(MembershipAttackMetrics metrics)
    {
        var attack = new KeyValuePair<string, object?>("fedlearn.audit.attack", metrics.Attack);
        AttackAuc.Record(metrics.Auc, attack);
        EpsilonLowerBound.Record(metrics.EmpiricalEpsilon.Epsilon, attack);
    }
}
