using FedLearn.Telemetry;

namespace FedLearn.Server;

public sealed partial class FederatedServer
{
    /// <summary>The model-quality gauges and the screening counters of a finished round.</summary>
    private static void RecordModelAndScreening(RoundResult result)
    {
        FedLearnTelemetry.LastRound.Record(result.Round);
        RecordEvaluation("training", result.Training);
        RecordEvaluation("federated", result.FederatedEvaluation);
        RecordEvaluation("central", result.CentralEvaluation);
        foreach (IGrouping<bool, ClientFlag> group in result.Flagged.GroupBy(f => f.Exclude))
        {
            FedLearnTelemetry.ClientsFlagged.Add(group.Count(), new KeyValuePair<string, object?>("fedlearn.excluded", group.Key));
        }

        if (result.Excluded.Count > 0)
        {
            FedLearnTelemetry.ClientsExcluded.Add(result.Excluded.Count);
        }
    }

    private static void RecordEvaluation(string evaluation, EvaluationMetrics? metrics)
    {
        if (metrics is null)
        {
            return;
        }

        var tag = new KeyValuePair<string, object?>("fedlearn.evaluation", evaluation);
        FedLearnTelemetry.ModelLoss.Record(metrics.Loss, tag);
        FedLearnTelemetry.ModelAccuracy.Record(metrics.Accuracy, tag);
    }
}
