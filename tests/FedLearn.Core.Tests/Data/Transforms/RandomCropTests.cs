using FedLearn.Data;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Data.Transforms;

public sealed class RandomCropTests
{
    private const int Channels = 2;
    private const int Height = 4;
    private const int Width = 5;

    [Test]
    public void Output_is_the_image_shifted_by_at_most_the_padding_with_a_zero_border_and_every_shift_occurs()
    {
        const int padding = 2;
        float[] image = Enumerable.Range(1, Channels * Height * Width).Select(v => (float)v).ToArray();
        var crop = new RandomCrop(Channels, Height, Width, padding);
        var random = new DeterministicRandom(3);
        float[] output = new float[image.Length];
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 2000; i++)
        {
            crop.Apply(image, output, random);
            var matches = new List<(int, int)>();
            for (int dy = -padding; dy <= padding; dy++)
            {
                for (int dx = -padding; dx <= padding; dx++)
                {
                    if (output.SequenceEqual(Shifted(image, dy, dx)))
                    {
                        matches.Add((dy, dx));
                    }
                }
            }

            Assert.That(matches, Has.Count.EqualTo(1), "the output is not a shifted copy of the image");
            seen.Add(matches[0]);
        }

        Assert.That(seen, Has.Count.EqualTo(((2 * padding) + 1) * ((2 * padding) + 1)));
    }

    [Test]
    public void Without_padding_copies_the_image()
    {
        float[] image = Enumerable.Range(1, Channels * Height * Width).Select(v => (float)v).ToArray();
        float[] output = new float[image.Length];

        new RandomCrop(Channels, Height, Width, padding: 0).Apply(image, output, new DeterministicRandom(1));

        Assert.That(output, Is.EqualTo(image));
    }

    [Test]
    public void Rejects_a_negative_padding()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RandomCrop(1, 28, 28, padding: -1));
    }

    /// <summary>The reference: pad with zeros, then crop at offset (padding + dy, padding + dx).</summary>
    private static float[] Shifted(float[] image, int dy, int dx)
    {
        float[] result = new float[image.Length];
        for (int c = 0; c < Channels; c++)
        {
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int sy = y + dy;
                    int sx = x + dx;
                    if (sy >= 0 && sy < Height && sx >= 0 && sx < Width)
                    {
                        result[(c * Height * Width) + (y * Width) + x] = image[(c * Height * Width) + (sy * Width) + sx];
                    }
                }
            }
        }

        return result;
    }
}
