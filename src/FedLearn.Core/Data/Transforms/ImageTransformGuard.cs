namespace FedLearn.Data;

/// <summary>Checks shared by the image transforms.</summary>
internal static class ImageTransformGuard
{
    public static void CheckShape(int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if ((long)channels * height * width > Array.MaxLength)
        {
            throw new ArgumentException($"An image of {channels}×{height}×{width} values is too large.", nameof(channels));
        }
    }

    public static void CheckSpans(ReadOnlySpan<float> input, Span<float> output, int expected, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (input.Length != expected)
        {
            throw new ArgumentException($"The input holds {input.Length} values but the image has {expected}.", nameof(input));
        }

        if (output.Length != expected)
        {
            throw new ArgumentException($"The output holds {output.Length} values but the image has {expected}.", nameof(output));
        }

        if (input.Overlaps(output))
        {
            throw new ArgumentException("The output overlaps the input.", nameof(output));
        }
    }
}
