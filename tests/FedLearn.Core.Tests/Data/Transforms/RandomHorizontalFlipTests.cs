using FedLearn.Data;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Data.Transforms;

public sealed class RandomHorizontalFlipTests
{
    // Two channels of a 2×3 image.
    private static readonly float[] Image = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    private static readonly float[] Mirrored = [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10];

    [Test]
    public void Always_flips_each_row_of_each_channel_at_probability_1()
    {
        var flip = new RandomHorizontalFlip(channels: 2, height: 2, width: 3, probability: 1);
        float[] output = new float[Image.Length];

        flip.Apply(Image, output, new DeterministicRandom(1));

        Assert.That(output, Is.EqualTo(Mirrored));
    }

    [Test]
    public void Never_flips_at_probability_0()
    {
        var flip = new RandomHorizontalFlip(2, 2, 3, probability: 0);
        float[] output = new float[Image.Length];

        flip.Apply(Image, output, new DeterministicRandom(1));

        Assert.That(output, Is.EqualTo(Image));
    }

    [Test]
    public void Flips_about_half_the_images_at_the_default_probability()
    {
        var flip = new RandomHorizontalFlip(2, 2, 3);
        var random = new DeterministicRandom(2);
        float[] output = new float[Image.Length];
        int flipped = 0;
        for (int i = 0; i < 2000; i++)
        {
            flip.Apply(Image, output, random);
            if (output.SequenceEqual(Mirrored))
            {
                flipped++;
            }
            else
            {
                Assert.That(output, Is.EqualTo(Image));
            }
        }

        // Binomial(2000, 0.5): mean 1000, standard deviation 22; this is a ±6σ band.
        Assert.That(flipped, Is.InRange(866, 1134));
    }

    [Test]
    public void Rejects_spans_of_the_wrong_length_or_overlapping()
    {
        var flip = new RandomHorizontalFlip(2, 2, 3);
        var random = new DeterministicRandom(1);
        float[] buffer = new float[24];

        var shortOutput = Assert.Throws<ArgumentException>(() => flip.Apply(Image, new float[11], random));
        var overlap = Assert.Throws<ArgumentException>(() => flip.Apply(buffer.AsSpan(0, 12), buffer.AsSpan(6, 12), random));

        Assert.That(shortOutput.Message, Does.StartWith("The output holds 11 values but the image has 12."));
        Assert.That(overlap.Message, Does.StartWith("The output overlaps the input."));
    }

    [Test]
    public void Equal_settings_compare_equal()
    {
        Assert.That(new RandomHorizontalFlip(1, 28, 28), Is.EqualTo(new RandomHorizontalFlip(1, 28, 28, 0.5)));
        Assert.That(new RandomHorizontalFlip(1, 28, 28), Is.Not.EqualTo(new RandomHorizontalFlip(1, 28, 28, 0.3)));
    }
}
