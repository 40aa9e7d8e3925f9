namespace FedLearn;

/// <summary>What a client reports about one local training run.</summary>
/// <param name="Loss">Mean training loss over the examples seen in the last local epoch.</param>
/// <param name="Accuracy">Training accuracy over the same examples, in [0, 1]; NaN when the task has none.</param>
/// <param name="ExampleCount">Number of training examples the client holds (the FedAvg weight).</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Duration">Wall time of local training.</param>
public sealed record TrainingMetrics(double Loss, double Accuracy, long ExampleCount, long Steps, TimeSpan Duration);
