namespace FedLearn.Data;

/// <summary>
/// Pads an image with zeros on every side and crops a window of the original size at a random offset: the image
/// shifts by up to <see cref="Padding"/> pixels in each direction, and the uncovered border is zero. Images are
/// channel-major (channels, height, width); every channel shifts alike. Immutable and thread-safe; equal settings
/// compare equal.
/// </summary>
public sealed record RandomCrop : ISampleTransform
{
    /// <summary>Creates the transform for images of the given shape.</summary>
    /// <param name="channels">Channels per image; at least 1.</param>
    /// <param name="height">Rows per image; at least 1.</param>
    /// <param name="width">Columns per image; at least 1.</param>
    /// <param name="padding">Zero pixels added on each side before cropping; at least 0. Default 4.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or the padding is negative.</exception>
    public RandomCrop(int channels, int height, int width, int padding = 4)
    {
        ImageTransformGuard.CheckShape(channels, height, width);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Channels = channels;
        Height = height;
        Width = width;
        Padding = padding;
    }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>Zero pixels added on each side before cropping.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public void Apply(ReadOnlySpan<float> input, Span<float> output, DeterministicRandom random)
    {
        ImageTransformGuard.CheckSpans(input, output, Channels * Height * Width, random);
        int shiftY = random.NextInt((2 * Padding) + 1) - Padding;
        int shiftX = random.NextInt((2 * Padding) + 1) - Padding;

        // Output pixel (y, x) takes input pixel (y + shiftY, x + shiftX) when that lies inside the image.
        int firstX = Math.Clamp(-shiftX, 0, Width);
        int endX = Math.Clamp(Width - shiftX, firstX, Width);
        int plane = Height * Width;
        for (int channel = 0; channel < Channels; channel++)
        {
            for (int y = 0; y < Height; y++)
            {
                Span<float> destination = output.Slice((channel * plane) + (y * Width), Width);
                int sourceY = y + shiftY;
                if (sourceY < 0 || sourceY >= Height || firstX == endX)
                {
                    destination.Clear();
                    continue;
                }

                destination[..firstX].Clear();
                input.Slice((channel * plane) + (sourceY * Width) + firstX + shiftX, endX - firstX).CopyTo(destination[firstX..endX]);
                destination[endX..].Clear();
            }
        }
    }
}
