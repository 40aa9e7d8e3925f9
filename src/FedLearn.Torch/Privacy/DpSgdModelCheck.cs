using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>Rejects models that DP-SGD cannot train privately, before any training starts.</summary>
internal static class DpSgdModelCheck
{
    /// <summary>Throws when a layer of <paramref name="model"/> mixes the samples of a batch (batch normalisation).</summary>
    /// <exception cref="ArgumentException">The model has such layers; the message names each and what to use instead.</exception>
    public static void ThrowIfIncompatible(nn.Module model, string parameterName)
    {
        var offending = new List<string>();
        foreach ((string name, nn.Module module) in model.named_modules())
        {
            string typeName = module.GetType().Name;
            if (typeName.StartsWith("BatchNorm", StringComparison.Ordinal) || typeName.StartsWith("SyncBatchNorm", StringComparison.Ordinal))
            {
                offending.Add($"'{(name.Length == 0 ? "(root)" : name)}' ({typeName})");
            }
        }

        if (offending.Count > 0)
        {
            throw new ArgumentException(
                $"DP-SGD cannot train this model: {string.Join(", ", offending)} "
                + "normalise(s) over the batch, so each sample's gradient depends on the other samples and per-sample clipping would bound nothing. "
                + "Replace BatchNorm with GroupNorm (for convolutions) or LayerNorm, which normalise each sample on its own.",
                parameterName);
        }
    }
}
