using FedLearn.Data;

namespace FedLearn.Privacy.Auditing;

/// <summary>
/// How the audited model is trained; the target and every shadow model are trained the same way, each from fresh
/// initial weights on its own data.
/// </summary>
public sealed record AuditedTraining
{
    /// <summary>
    /// Creates a trainer over the given training examples (its evaluation data is not used). A trainer that is
    /// <see cref="IDisposable"/> is disposed once its model is trained. Pass a DP-SGD trainer to audit DP-SGD.
    /// </summary>
    public required Func<DatasetView, ILocalTrainer> CreateTrainer { get; init; }

    /// <summary>Creates the initial weights from a seed (each model gets its own seed).</summary>
    public required Func<ulong, ModelWeights> CreateInitialWeights { get; init; }

    /// <summary>Epochs, batch size and learning rate of the one fit that trains a model; its seed is replaced per model.</summary>
    public required FitConfig FitConfig { get; init; }
}
