using FedLearn.Data;

namespace FedLearn.Privacy.Auditing;

/// <summary>
/// Turns trained weights into prediction vectors (class probabilities) for a set of examples: the black-box access a
/// membership attack has to a model. Implemented for TorchSharp models by FedLearn.Torch's <c>TorchPredictionSource</c>.
/// </summary>
public interface IPredictionSource
{
    /// <summary>The class probabilities of <paramref name="weights"/> on every example of <paramref name="data"/>, in view order.</summary>
    /// <param name="weights">The model's weights (read, not kept).</param>
    /// <param name="data">The examples.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>One row per example of <paramref name="data"/>, with its labels.</returns>
    Task<PredictionSet> PredictAsync(ModelWeights weights, DatasetView data, CancellationToken cancellationToken);
}
