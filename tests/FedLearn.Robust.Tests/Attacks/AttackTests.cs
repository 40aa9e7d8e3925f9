using FedLearn.Data;
using FedLearn.Robust.Attacks;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Attacks;

public sealed class AttackTests
{
    private static (WeightedUpdate[] Updates, ByzantineRound Round) Round(int n, int f, int length = 64, ulong seed = 3)
    {
        var random = new DeterministicRandom(seed);
        WeightedUpdate[] updates = TestUpdates.Random(random, n, length);
        string[] byzantine = updates.Take(f).Select(u => u.ClientId).ToArray();
        return (updates, new ByzantineRound(7, updates, byzantine, seed: 99));
    }

    [Test]
    public void Alie_z_comes_from_n_and_f()
    {
        // n = 50, f = 10: s = ⌊26⌋ − 10 = 16, z = Φ⁻¹((50 − 10 − 16)/40) = Φ⁻¹(0.6).
        Assert.That(AlieAttack.ComputeZ(50, 10), Is.EqualTo(0.2533471031357997).Within(1e-9));
        // n = 20, f = 4: s = 11 − 4 = 7, z = Φ⁻¹(9/16).
        Assert.That(AlieAttack.ComputeZ(20, 4), Is.EqualTo(NormalDistribution.InverseCdf(9.0 / 16)).Within(1e-15));
        Assert.That(() => AlieAttack.ComputeZ(10, 6), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("s = ⌊n/2 + 1⌋ − f > 0"));
    }

    [Test]
    public void Alie_sends_mean_minus_z_sigma_of_the_honest_updates()
    {
        (WeightedUpdate[] updates, ByzantineRound round) = Round(12, 3);
        IReadOnlyList<WeightedUpdate> crafted = new AlieAttack().Craft(round);

        double z = AlieAttack.ComputeZ(12, 3);
        WeightedUpdate[] honest = updates.Skip(3).ToArray();
        Assert.That(crafted.Select(u => u.ClientId), Is.EqualTo(new[] { "c000", "c001", "c002" }));
        for (int j = 0; j < 64; j++)
        {
            double[] column = honest.Select(u => (double)u.Values.Span[j]).ToArray();
            double mean = column.Average();
            double sigma = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1));
            Assert.That(crafted[1].Values.Span[j], Is.EqualTo(mean - (z * sigma)).Within(1e-5), $"index {j}");
        }
    }

    [Test]
    public void Ipm_sends_minus_epsilon_times_the_honest_mean()
    {
        (WeightedUpdate[] updates, ByzantineRound round) = Round(10, 2);
        IReadOnlyList<WeightedUpdate> crafted = new IpmAttack(0.5).Craft(round);

        for (int j = 0; j < 64; j++)
        {
            double mean = updates.Skip(2).Average(u => u.Values.Span[j]);
            Assert.That(crafted[0].Values.Span[j], Is.EqualTo(-0.5 * mean).Within(1e-6));
            Assert.That(crafted[1].Values.Span[j], Is.EqualTo(crafted[0].Values.Span[j]));
        }
    }

    [Test]
    public void Sign_flip_and_scaling_transform_each_clients_own_update()
    {
        (WeightedUpdate[] updates, ByzantineRound round) = Round(6, 2);

        IReadOnlyList<WeightedUpdate> flipped = new SignFlipAttack().Craft(round);
        IReadOnlyList<WeightedUpdate> scaled = new ScalingAttack(4).Craft(round);

        for (int i = 0; i < 2; i++)
        {
            Assert.That(flipped[i].Values.ToArray(), Is.EqualTo(updates[i].Values.ToArray().Select(v => -v)).AsCollection);
            Assert.That(scaled[i].Values.ToArray(), Is.EqualTo(updates[i].Values.ToArray().Select(v => 4 * v)).AsCollection);
            Assert.That(scaled[i].Weight, Is.EqualTo(updates[i].Weight));
        }
    }

    [Test]
    public void Gaussian_noise_has_mean_zero_and_the_given_sigma_and_is_reproducible()
    {
        (_, ByzantineRound round) = Round(5, 1, length: 100_000);
        float[] noise = new GaussianAttack(2.5).Craft(round)[0].Values.ToArray();

        double mean = noise.Average(v => (double)v);
        double sigma = Math.Sqrt(noise.Average(v => (v - mean) * (v - mean)));
        Assert.That(mean, Is.EqualTo(0).Within(5 * 2.5 / Math.Sqrt(100_000)));
        Assert.That(sigma, Is.EqualTo(2.5).Within(0.03));
        Assert.That(new GaussianAttack(2.5).Craft(round)[0].Values.ToArray(), Is.EqualTo(noise).AsCollection);
    }

    [Test]
    public void Mimic_copies_the_honest_update_farthest_from_the_honest_mean()
    {
        WeightedUpdate[] updates = TestUpdates.FromRows([9f, 9f], [0f, 0f], [1f, 0f], [0f, 1f], [5f, 5f]);
        IReadOnlyList<WeightedUpdate> crafted = new MimicAttack().Craft(new ByzantineRound(1, updates, ["c0"]));

        Assert.That(crafted.Single().Values.ToArray(), Is.EqualTo(new[] { 5f, 5f }).AsCollection);
        Assert.That(crafted.Single().ClientId, Is.EqualTo("c0"));
    }

    [Test]
    public void Non_finite_attack_fills_with_nan()
    {
        (_, ByzantineRound round) = Round(4, 1);
        Assert.That(new NonFiniteAttack().Craft(round)[0].Values.ToArray().All(float.IsNaN), Is.True);
        Assert.That(() => new NonFiniteAttack(1f), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Apply_replaces_only_the_byzantine_updates_and_keeps_the_order()
    {
        (WeightedUpdate[] updates, _) = Round(6, 0);
        var round = new ByzantineRound(1, updates.Reverse().ToArray(), ["c002", "c004", "not-sampled"]);

        IReadOnlyList<WeightedUpdate> sent = new SignFlipAttack().Apply(round);

        Assert.That(sent.Select(u => u.ClientId), Is.EqualTo(updates.Reverse().Select(u => u.ClientId)));
        Assert.That(sent.Single(u => u.ClientId == "c003").Values, Is.EqualTo(updates[3].Values));
        Assert.That(sent.Single(u => u.ClientId == "c002").Values.Span[0], Is.EqualTo(-updates[2].Values.Span[0]));
        Assert.That(round.ByzantineCount, Is.EqualTo(2));
    }

    [Test]
    public void Label_flip_maps_y_to_c_minus_1_minus_y_on_the_view_only()
    {
        var dataset = new LabeledDataset(new float[5 * 2], [0, 1, 2, 9, 4], featureCount: 2, classCount: 10);
        DatasetView view = dataset.All().Select([1, 3]);

        DatasetView flipped = LabelFlipAttack.Flip(view);

        Assert.That(Enumerable.Range(0, flipped.Count).Select(flipped.GetLabel), Is.EqualTo(new[] { 8, 0 }));
        Assert.That(dataset.Labels, Is.EqualTo(new[] { 0, 1, 2, 9, 4 }), "the original is untouched");
        Assert.That(flipped.Dataset.Features, Is.SameAs(dataset.Features));
    }

    [Test]
    public void Byzantine_selection_takes_floor_of_fraction_times_n_independent_of_order()
    {
        string[] ids = Enumerable.Range(0, 20).Select(i => $"c{i}").ToArray();

        IReadOnlyList<string> chosen = ByzantineSelection.Choose(ids, 0.3, 5);

        Assert.That(chosen, Has.Count.EqualTo(6));
        Assert.That(ByzantineSelection.Choose(ids.Reverse(), 0.3, 5), Is.EqualTo(chosen));
        Assert.That(ByzantineSelection.Choose(ids, 0.2, 5), Has.Count.EqualTo(4));
    }
}
