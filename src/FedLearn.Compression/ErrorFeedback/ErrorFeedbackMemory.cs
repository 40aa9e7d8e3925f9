namespace FedLearn.Compression.ErrorFeedback;

/// <summary>
/// Where error feedback keeps the client's residual: one float buffer in the client's <see cref="ComponentState"/>
/// under <see cref="StateKey"/>. Each round the pipeline compresses a = update + residual and stores
/// residual ← a − decode(payload), so sent + new residual = update + previous residual (Karimireddy et al. 2019,
/// "Error feedback fixes SignSGD and other gradient compression schemes"). <see cref="ComponentState.Reset"/> clears it.
/// </summary>
internal static class ErrorFeedbackMemory
{
    /// <summary>The state key of the residual buffer.</summary>
    public const string StateKey = "fedlearn.compression.error-feedback.residual";

    /// <summary>The residual for a vector of <paramref name="length"/> values, zero the first time.</summary>
    public static float[] Residual(ComponentState state, int length) => state.GetOrCreate(StateKey, length);
}
