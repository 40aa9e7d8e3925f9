using FedLearn.Robust.Kernels;
using FedLearn.Robust.Screening;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Screening;

public sealed class ExampleCountNormFitTests
{
    private const double Threshold = UpdateScreenerDefaults.NormThreshold;

    // Honest clients from 100 to 10,000 examples whose norms grow as √n (a random walk of local steps) times ±5% noise.
    private static (double[] Norms, double[] Counts) HonestClients(DeterministicRandom random, int count, double exponent = 0.5)
    {
        double[] counts = Enumerable.Range(0, count).Select(i => Math.Round(100 * Math.Pow(100, i / (double)(count - 1)))).ToArray();
        double[] norms = counts.Select(n => 0.01 * Math.Pow(n, exponent) * (1 + (0.05 * random.NextGaussian()))).ToArray();
        return (norms, counts);
    }

    private static bool[] All(int count) => Enumerable.Repeat(true, count).ToArray();

    private static double[] Z(double[] norms, double[] counts) =>
        ExampleCountNormFit.Score(norms, counts, All(norms.Length), Threshold)!.Value.Z;

    [Test]
    public void Honest_clients_of_very_different_sizes_are_not_flagged()
    {
        (double[] norms, double[] counts) = HonestClients(new DeterministicRandom(1), 20);

        double[] z = Z(norms, counts);

        Assert.That(z.Select(Math.Abs), Has.All.LessThanOrEqualTo(Threshold), string.Join(", ", z));
    }

    [Test]
    public void A_boosted_small_client_is_flagged_although_its_norm_is_ordinary()
    {
        (double[] norms, double[] counts) = HonestClients(new DeterministicRandom(2), 20);
        norms[1] *= 3;

        double[] z = Z(norms, counts);

        Assert.That(norms[1], Is.LessThan(VectorMath.Median(norms)), "three times a short update is still shorter than the median one");
        Assert.That(Math.Abs(UpdateScreener.ModifiedZ(norms, norms)[1]), Is.LessThanOrEqualTo(Threshold), "hidden from one typical norm");
        Assert.That(z[1], Is.GreaterThan(Threshold));
        Assert.That(z.Where((_, i) => i != 1).Select(Math.Abs), Has.All.LessThanOrEqualTo(Threshold));
    }

    [Test]
    public void Boosted_small_clients_that_tilt_the_first_line_are_still_flagged()
    {
        // Six of 20 clients, five of them among the seven smallest, send three times their update: the first repeated
        // median line tilts towards them; the refit without them recovers the honest line.
        (double[] norms, double[] counts) = HonestClients(new DeterministicRandom(3), 20, exponent: 0.3);
        int[] boosted = [0, 1, 3, 4, 6, 18];
        foreach (int i in boosted)
        {
            norms[i] *= 3;
        }

        (double[] z, _, double slope) = ExampleCountNormFit.Score(norms, counts, All(20), Threshold)!.Value;

        Assert.That(slope, Is.EqualTo(0.3).Within(0.1));
        Assert.That(boosted.Select(i => z[i]), Has.All.GreaterThan(Threshold), string.Join(", ", z));
        Assert.That(z.Where((_, i) => !boosted.Contains(i)).Select(Math.Abs), Has.All.LessThanOrEqualTo(Threshold));
    }

    [Test]
    public void A_client_that_claims_more_examples_must_send_a_longer_update_to_pass()
    {
        // Honest norms grow as √n. Client 5 claims 100 times its count: with its own update it is too short for that
        // size; boosted by √100 = 10 it matches the claim, and FedAvg would also weigh it 100 times more.
        (double[] norms, double[] counts) = HonestClients(new DeterministicRandom(8), 20);
        counts[5] *= 100;

        double[] honestLength = Z(norms, counts);
        norms[5] *= 10;
        double[] matchingLength = Z(norms, counts);

        Assert.That(honestLength[5], Is.LessThan(-Threshold));
        Assert.That(Math.Abs(matchingLength[5]), Is.LessThanOrEqualTo(Threshold), "the documented limit: a claim buys up to its own factor in length");
    }

    [Test]
    public void With_one_count_for_every_client_the_score_is_the_pooled_one()
    {
        var random = new DeterministicRandom(4);
        double[] norms = Enumerable.Range(0, 15).Select(_ => Math.Exp(random.NextGaussian())).ToArray();
        double[] counts = Enumerable.Repeat(600.0, 15).ToArray();

        (double[] z, _, double slope) = ExampleCountNormFit.Score(norms, counts, All(15), Threshold)!.Value;

        Assert.That(slope, Is.Zero);
        Assert.That(z, Is.EqualTo(UpdateScreener.ModifiedZ(norms, norms)).AsCollection.Within(1e-9));
    }

    [TestCase(-0.5, 0.0)]
    [TestCase(0.7, 0.7)]
    [TestCase(2.0, 1.0)]
    public void The_slope_is_kept_between_zero_and_one(double exponent, double expected)
    {
        double[] counts = [50, 100, 200, 400, 800, 1600, 3200];
        double[] norms = counts.Select(n => Math.Pow(n, exponent)).ToArray();

        Assert.That(ExampleCountNormFit.Score(norms, counts, All(7), Threshold)!.Value.Slope, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void The_repeated_median_ignores_a_minority_of_arbitrary_points()
    {
        var random = new DeterministicRandom(5);
        double[] x = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        double[] y = x.Select(v => 1 + (0.7 * v)).ToArray();
        foreach (int i in new[] { 0, 1, 2, 3, 5, 8, 13, 19 })
        {
            y[i] = 100 * random.NextGaussian();
        }

        Assert.That(ExampleCountNormFit.RepeatedMedianSlope(x, y), Is.EqualTo(0.7).Within(1e-12), "12 of 20 points on the line");
    }

    [Test]
    public void Only_the_reference_updates_set_the_line_and_the_spread()
    {
        (double[] norms, double[] counts) = HonestClients(new DeterministicRandom(6), 12);
        double[] withOthers = [.. norms, 50, 0.0001];
        double[] otherCounts = [.. counts, 300, 300];
        bool[] reference = [.. All(12), false, false];

        double[] z = ExampleCountNormFit.Score(withOthers, otherCounts, reference, Threshold)!.Value.Z;

        Assert.That(z.Take(12), Is.EqualTo(Z(norms, counts)).AsCollection.Within(1e-12));
        Assert.That(z[12], Is.GreaterThan(Threshold));
        Assert.That(z[13], Is.LessThan(-Threshold));
    }

    [Test]
    public void A_zero_norm_scores_as_short_and_too_few_positive_norms_give_no_score()
    {
        (double[] norms, double[] counts) = HonestClients(new DeterministicRandom(7), 10);
        norms[4] = 0;

        Assert.That(Z(norms, counts)[4], Is.LessThan(-Threshold));
        Assert.That(ExampleCountNormFit.Score([0, 1, 2, 3], [10, 20, 30, 40], All(4), Threshold), Is.Not.Null);
        Assert.That(ExampleCountNormFit.Score([0, 0, 1, 2], [10, 20, 30, 40], All(4), Threshold), Is.Null);
    }

    [Test]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.That(
            () => ExampleCountNormFit.Score([1, 2, 3], [1, 2], All(3), Threshold),
            Throws.ArgumentException.With.Message.Contains("3 norms, 2 counts and 3 reference marks"));
    }

    // Random rounds: 3 to 40 clients of 10 to 10,000 examples, norms growing with a random exponent, some boosted.
    private static (double[] Norms, double[] Counts) RandomRound(DeterministicRandom random, int clients)
    {
        double exponent = random.NextDouble();
        double[] counts = Enumerable.Range(0, clients).Select(_ => Math.Round(Math.Exp(Math.Log(10) + (random.NextDouble() * Math.Log(1000))))).ToArray();
        double[] norms = counts.Select(n => Math.Pow(n, exponent) * Math.Exp(0.3 * random.NextGaussian()) * (random.NextDouble() < 0.2 ? 5 : 1)).ToArray();
        return (norms, counts);
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public void Scores_do_not_change_when_every_norm_or_every_count_is_scaled(PositiveInt clients, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        (double[] norms, double[] counts) = RandomRound(random, 3 + (clients.Get % 38));
        double normFactor = Math.Exp(20 * (random.NextDouble() - 0.5));
        double countFactor = Math.Exp(10 * (random.NextDouble() - 0.5));

        double[] z = Z(norms, counts);

        Assert.That(Z(norms.Select(v => v * normFactor).ToArray(), counts), Is.EqualTo(z).AsCollection.Within(1e-6));
        Assert.That(Z(norms, counts.Select(n => n * countFactor).ToArray()), Is.EqualTo(z).AsCollection.Within(1e-6));
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public void Scores_do_not_depend_on_client_order(PositiveInt clients, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        (double[] norms, double[] counts) = RandomRound(random, 3 + (clients.Get % 38));
        int[] order = Enumerable.Range(0, norms.Length).ToArray();
        random.Shuffle(order.AsSpan());

        double[] z = Z(norms, counts);
        double[] shuffled = Z(order.Select(i => norms[i]).ToArray(), order.Select(i => counts[i]).ToArray());

        Assert.That(shuffled, Is.EqualTo(order.Select(i => z[i]).ToArray()).AsCollection);
    }
}
