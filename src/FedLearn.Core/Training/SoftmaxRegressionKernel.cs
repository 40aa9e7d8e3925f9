using System.Numerics.Tensors;

namespace FedLearn.Training;

/// <summary>
/// The per-example arithmetic of softmax regression on flat spans: logits, numerically stable softmax cross-entropy,
/// and the gradient of one example. Allocates nothing; the caller owns every buffer.
/// </summary>
internal static class SoftmaxRegressionKernel
{
    /// <summary>logits[c] ← weight[c]·x + bias[c], with <paramref name="weight"/> row-major [classes, features].</summary>
    public static void Logits(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> logits)
    {
        int features = x.Length;
        for (int c = 0; c < logits.Length; c++)
        {
            logits[c] = TensorPrimitives.Dot(weight.Slice(c * features, features), x) + bias[c];
        }
    }

    /// <summary>
    /// Turns <paramref name="logits"/> into probabilities in place and returns the cross-entropy −log p[label],
    /// computed as log Σ exp(z − max) − (z[label] − max) so that no exponential overflows.
    /// </summary>
    /// <param name="logits">The logits on entry; the softmax probabilities on return.</param>
    /// <param name="label">The true class.</param>
    /// <param name="predicted">The arg-max class (the lowest index on ties).</param>
    public static float SoftmaxCrossEntropy(Span<float> logits, int label, out int predicted)
    {
        predicted = TensorPrimitives.IndexOfMax<float>(logits);
        float max = logits[predicted];
        TensorPrimitives.Subtract(logits, max, logits);
        float shiftedTrue = logits[label];
        TensorPrimitives.Exp(logits, logits);
        float sum = TensorPrimitives.Sum<float>(logits);
        TensorPrimitives.Divide(logits, sum, logits);
        return MathF.Log(sum) - shiftedTrue;
    }

    /// <summary>
    /// Adds one example's gradient of the cross-entropy to the gradient buffers: with g = p − onehot(label),
    /// weightGradient[c] += g[c]·x and biasGradient += g. <paramref name="probabilities"/> is turned into g.
    /// </summary>
    public static void AccumulateGradient(Span<float> probabilities, int label, ReadOnlySpan<float> x, Span<float> weightGradient, Span<float> biasGradient)
    {
        probabilities[label] -= 1f;
        int features = x.Length;
        for (int c = 0; c < probabilities.Length; c++)
        {
            Span<float> row = weightGradient.Slice(c * features, features);
            TensorPrimitives.MultiplyAdd(x, probabilities[c], row, row);
        }

        TensorPrimitives.Add(biasGradient, probabilities, biasGradient);
    }
}
