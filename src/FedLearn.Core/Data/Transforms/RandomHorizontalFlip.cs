namespace FedLearn.Data;

/// <summary>
/// Mirrors an image left to right with a given probability. Images are channel-major (channels, height, width),
/// as the record shape [1, 28, 28] of Fashion-MNIST. Immutable and thread-safe; equal settings compare equal.
/// </summary>
public sealed record RandomHorizontalFlip : ISampleTransform
{
    /// <summary>Creates the transform for images of the given shape.</summary>
    /// <param name="channels">Channels per image; at least 1.</param>
    /// <param name="height">Rows per image; at least 1.</param>
    /// <param name="width">Columns per image; at least 1.</param>
    /// <param name="probability">Chance of flipping, in [0, 1]. Default 0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or the probability is outside [0, 1].</exception>
    public RandomHorizontalFlip(int channels, int height, int width, double probability = 0.5)
    {
        ImageTransformGuard.CheckShape(channels, height, width);
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The flip probability must be in [0, 1].");
        }

        Channels = channels;
        Height = height;
        Width = width;
        Probability = probability;
    }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>Chance of flipping.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public void Apply(ReadOnlySpan<float> input, Span<float> output, DeterministicRandom random)
    {
        ImageTransformGuard.CheckSpans(input, output, Channels * Height * Width, random);
        input.CopyTo(output);
        // Draw on every call, flipped or not, so the generator advances the same way whatever the outcome.
        if (random.NextDouble() >= Probability)
        {
            return;
        }

        for (int row = 0; row < output.Length; row += Width)
        {
            output.Slice(row, Width).Reverse();
        }
    }
}
