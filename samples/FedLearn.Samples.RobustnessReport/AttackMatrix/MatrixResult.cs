namespace FedLearn.Samples.RobustnessReport.AttackMatrix;

/// <summary>What one run of the matrix ended with.</summary>
/// <param name="Accuracy">Central test accuracy of the final global model.</param>
/// <param name="FailedRounds">Rounds in which the global model was not updated (for example an aggregator refused non-finite values).</param>
/// <param name="Flagged">Client-rounds flagged by screening.</param>
/// <param name="FlaggedByzantine">Of those, the Byzantine ones.</param>
/// <param name="ByzantineRounds">Client-rounds of Byzantine clients.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="MedianNorm">The median norm of the updates the server received, averaged over the rounds.</param>
internal sealed record MatrixResult(double Accuracy, int FailedRounds, int Flagged, int FlaggedByzantine, int ByzantineRounds, double Seconds, double MedianNorm);
