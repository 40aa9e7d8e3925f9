using FedLearn.Torch.Privacy;

namespace FedLearn.Torch.Tests.Privacy;

public sealed class PoissonSamplerTests
{
    [TestCase(0.03)]
    [TestCase(0.5)]
    public void Each_record_is_drawn_independently_at_the_sample_rate(double rate)
    {
        const int Count = 20_000;
        const int Draws = 100;
        var random = new DeterministicRandom(2026);
        var batch = new List<int>();
        int[] hits = new int[Count];
        var sizes = new List<int>();
        for (int d = 0; d < Draws; d++)
        {
            PoissonSampler.Draw(random, Count, rate, batch);
            sizes.Add(batch.Count);
            Assert.That(batch, Is.Ordered.And.Unique);
            foreach (int i in batch)
            {
                hits[i]++;
            }
        }

        // The total is Binomial(Count·Draws, rate): allow 4 standard deviations.
        double expected = (double)Count * Draws * rate;
        double sd = Math.Sqrt(expected * (1 - rate));
        Assert.That(sizes.Sum(), Is.EqualTo(expected).Within(4 * sd));
        Assert.That(sizes.Distinct().Count(), Is.GreaterThan(10), "batch sizes vary from draw to draw");

        // The first and second halves of the records are drawn equally often (no position bias).
        double firstHalf = hits.Take(Count / 2).Sum();
        double secondHalf = hits.Skip(Count / 2).Sum();
        Assert.That(firstHalf - secondHalf, Is.EqualTo(0).Within(4 * Math.Sqrt(2 * (expected / 2) * (1 - rate))));
    }

    [Test]
    public void Rates_zero_and_one_draw_nothing_and_everything()
    {
        var random = new DeterministicRandom(1);
        var batch = new List<int>();
        PoissonSampler.Draw(random, 100, 0.0, batch);
        Assert.That(batch, Is.Empty);
        PoissonSampler.Draw(random, 100, 1.0, batch);
        Assert.That(batch, Is.EqualTo(Enumerable.Range(0, 100)));
    }

    [Test]
    public void A_rate_outside_zero_one_is_refused()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => PoissonSampler.Draw(new DeterministicRandom(1), 10, 1.5, []));
        Assert.That(exception!.ParamName, Is.EqualTo("sampleRate"));
    }
}
