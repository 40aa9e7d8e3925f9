using System.Diagnostics.Metrics;
using FedLearn.Robust.Attacks;
using FedLearn.Robust.Screening;
using FedLearn.Telemetry;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Screening;

public sealed class UpdateScreenerTests
{
    private const int Length = 2000;

    // Heterogeneous honest clients: a shared descent direction with a per-client step size (±20%) plus client-specific
    // noise of comparable size, so cosines to the mean direction spread around 0.7 and norms around ±15%.
    private static WeightedUpdate[] HonestRound(DeterministicRandom random, int count)
    {
        float[] direction = TestUpdates.Vector(random, Length, 0.01);
        return Enumerable.Range(0, count).Select(i =>
        {
            double step = 1 + (0.2 * random.NextGaussian());
            float[] noise = TestUpdates.Vector(random, Length, 0.01);
            float[] values = direction.Zip(noise, (g, e) => (float)((step * g) + e)).ToArray();
            return new WeightedUpdate($"client{i:D2}", values, 100 + random.NextInt(500));
        }).ToArray();
    }

    private static IEnumerable<TestCaseData> Attacks()
    {
        yield return new TestCaseData(new SignFlipAttack()).SetName("sign flip");
        yield return new TestCaseData(new GaussianAttack(0.014)).SetName("Gaussian noise with the honest norm");
        yield return new TestCaseData(new GaussianAttack(1)).SetName("Gaussian noise sigma 1");
        yield return new TestCaseData(new ScalingAttack(10)).SetName("scaling by 10");
        yield return new TestCaseData(new ScalingAttack(-3)).SetName("scaling by -3");
    }

    [TestCaseSource(nameof(Attacks))]
    public void Flags_the_attackers_among_heterogeneous_honest_clients(IByzantineAttack attack)
    {
        int missed = 0;
        int falseAlarms = 0;
        for (int round = 1; round <= 5; round++)
        {
            var random = new DeterministicRandom((ulong)(round * 977));
            WeightedUpdate[] updates = HonestRound(random, 50);
            IReadOnlyList<string> byzantine = ByzantineSelection.Choose(updates.Select(u => u.ClientId), 0.2, (ulong)round);
            IReadOnlyList<WeightedUpdate> sent = attack.Apply(new ByzantineRound(round, updates, byzantine, seed: 1));

            IReadOnlyList<ClientFlag> flags = new UpdateScreener().Screen(round, sent);

            var flagged = flags.Select(f => f.ClientId).ToHashSet();
            missed += byzantine.Count(id => !flagged.Contains(id));
            falseAlarms += flagged.Count(id => !byzantine.Contains(id));
            Assert.That(flags.All(f => f.Exclude), Is.True);
        }

        Assert.That(missed, Is.Zero, "50 Byzantine updates over 5 rounds");
        Assert.That(falseAlarms, Is.LessThanOrEqualTo(2), "200 honest updates over 5 rounds");
    }

    // Non-IID-like honest clients: each has its own amount of client-specific drift (0.5× to 4× the shared signal), so
    // their cosines to the consensus spread from about 0.25 to 0.9 and the z-score of a flipped update stays small.
    [Test]
    public void Publishes_every_screened_updates_anomaly_scores_by_statistic()
    {
        var scores = new List<(double Value, string? Statistic)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FedLearnTelemetry.Name && instrument.Name == "fedlearn.screening.anomaly.score")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? statistic = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                statistic = tag.Key == "fedlearn.screening.statistic" ? tag.Value as string : statistic;
            }

            lock (scores)
            {
                scores.Add((value, statistic));
            }
        });
        listener.Start();
        WeightedUpdate[] updates = HonestRound(new DeterministicRandom(31), 20);
        IReadOnlyList<WeightedUpdate> sent = new ScalingAttack(10).Apply(new ByzantineRound(1, updates, ["client00"], seed: 1));

        _ = new UpdateScreener().Screen(1, sent);

        listener.Dispose();
        (double Value, string? Statistic)[] norms;
        lock (scores)
        {
            norms = [.. scores.Where(s => s.Statistic == "norm")];
            Assert.That(scores.Count(s => s.Statistic == "cosine"), Is.GreaterThanOrEqualTo(20));
        }

        Assert.That(norms, Has.Length.GreaterThanOrEqualTo(20), "one norm score per screened update");
        Assert.That(norms.Max(s => s.Value), Is.GreaterThan(new UpdateScreenerOptions().NormThreshold), "the scaled update's norm z-score");
    }

    [TestCase(0.0)]
    [TestCase(0.014)]
    public void Flags_sign_flips_and_noise_among_weakly_aligned_honest_clients(double noiseSigma)
    {
        var random = new DeterministicRandom(31);
        float[] direction = TestUpdates.Vector(random, Length, 0.01);
        WeightedUpdate[] updates = Enumerable.Range(0, 40).Select(i =>
        {
            double drift = 0.5 + (3.5 * random.NextDouble());
            float[] noise = TestUpdates.Vector(random, Length, 0.01 * drift);
            return new WeightedUpdate($"client{i:D2}", direction.Zip(noise, (g, e) => g + e).ToArray(), 1);
        }).ToArray();
        IReadOnlyList<string> byzantine = ByzantineSelection.Choose(updates.Select(u => u.ClientId), 0.3, 4);
        IByzantineAttack attack = noiseSigma > 0 ? new GaussianAttack(noiseSigma) : new SignFlipAttack();

        IReadOnlyList<ClientFlag> flags = new UpdateScreener().Screen(1, attack.Apply(new ByzantineRound(1, updates, byzantine)));

        Assert.That(flags.Select(f => f.ClientId), Is.SupersetOf(byzantine), string.Join("; ", flags.Select(f => f.ClientId + ": " + f.Reason)));
        Assert.That(flags.Count(f => !byzantine.Contains(f.ClientId)), Is.LessThanOrEqualTo(1), "28 honest clients");
        string reason = noiseSigma > 0 ? "largest cosine to another update" : "cosine to the robust centre";
        Assert.That(flags.Where(f => byzantine.Contains(f.ClientId)).Select(f => f.Reason), Has.All.Contains(reason));
    }

    [Test]
    public void Empty_vectors_are_not_flagged()
    {
        WeightedUpdate[] updates = Enumerable.Range(0, 5).Select(i => new WeightedUpdate($"c{i}", Array.Empty<float>(), 1)).ToArray();

        Assert.That(new UpdateScreener().Screen(1, updates), Is.Empty);
    }

    [Test]
    public void Negative_thresholds_are_listed_together()
    {
        Assert.That(
            () => new UpdateScreener(new UpdateScreenerOptions { NormThreshold = -1, AlignmentSigmas = -2, MinCosine = 3 }),
            Throws.TypeOf<Microsoft.Extensions.Options.OptionsValidationException>()
                .With.Message.Contains("UpdateScreenerOptions.NormThreshold")
                .And.Message.Contains("UpdateScreenerOptions.AlignmentSigmas")
                .And.Message.Contains("UpdateScreenerOptions.MinCosine"));
    }

    [Test]
    public void An_unknown_norm_model_is_listed_with_the_other_errors()
    {
        Assert.That(
            () => new UpdateScreener(new UpdateScreenerOptions { NormModel = (NormModel)7, NormThreshold = -1 }),
            Throws.TypeOf<Microsoft.Extensions.Options.OptionsValidationException>()
                .With.Message.Contains("UpdateScreenerOptions.NormModel: must be Pooled or ExampleCount.")
                .And.Message.Contains("UpdateScreenerOptions.NormThreshold"));
    }

    // Honest clients of 100 to 10,000 examples whose updates grow as √n: a shared direction plus client noise of the
    // same size, scaled by the client's typical step length.
    private static WeightedUpdate[] SizedRound(DeterministicRandom random, int count)
    {
        float[] direction = TestUpdates.Vector(random, Length, 0.01);
        return Enumerable.Range(0, count).Select(i =>
        {
            double examples = Math.Round(100 * Math.Pow(100, i / (double)(count - 1)));
            double scale = Math.Sqrt(examples / 100) * (1 + (0.05 * random.NextGaussian()));
            float[] noise = TestUpdates.Vector(random, Length, 0.01);
            float[] values = direction.Zip(noise, (g, e) => (float)(scale * (g + e))).ToArray();
            return new WeightedUpdate($"client{i:D2}", values, examples);
        }).ToArray();
    }

    [TestCase(NormModel.Pooled, 0)]
    [TestCase(NormModel.ExampleCount, 5)]
    public void A_boosted_small_client_is_flagged_only_against_the_norm_of_its_size(NormModel model, int caught)
    {
        var screener = new UpdateScreener(new UpdateScreenerOptions { NormModel = model });
        var reasons = new List<string>();
        int falseAlarms = 0;
        for (int round = 1; round <= 5; round++)
        {
            WeightedUpdate[] updates = SizedRound(new DeterministicRandom((ulong)(round * 61)), 20);
            IReadOnlyList<WeightedUpdate> sent = new ScalingAttack(3).Apply(new ByzantineRound(round, updates, ["client02"]));

            IReadOnlyList<ClientFlag> flags = screener.Screen(round, sent);

            reasons.AddRange(flags.Where(f => f.ClientId == "client02").Select(f => f.Reason));
            falseAlarms += flags.Count(f => f.ClientId != "client02");
        }

        Assert.That(reasons, Has.Count.EqualTo(caught), "client02 (162 examples) three times its update in 5 rounds; " + string.Join("; ", reasons));
        Assert.That(reasons, Has.All.StartWith("norm ").And.All.Contains("expected for 162 examples"));
        Assert.That(falseAlarms, Is.LessThanOrEqualTo(2), "95 honest updates of 100 to 10,000 examples");
    }

    [TestCase(0.0)]
    [TestCase(-5.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void With_the_example_count_model_an_impossible_count_is_flagged_and_excluded(double weight)
    {
        WeightedUpdate[] updates = SizedRound(new DeterministicRandom(22), 10);
        updates[6] = updates[6] with { Weight = weight };
        var options = new UpdateScreenerOptions { NormModel = NormModel.ExampleCount, ExcludeFlagged = false };

        IReadOnlyList<ClientFlag> flags = new UpdateScreener(options).Screen(1, updates);

        ClientFlag flag = flags.Single(f => f.ClientId == "client06");
        Assert.That(flag.Exclude, Is.True, "even when statistical flags are not excluded: FedAvg cannot weigh it");
        Assert.That(flag.CertainlyFaulty, Is.True, "a count that is not positive proves the client faulty");
        Assert.That(flag.Reason, Does.StartWith("reported example count ").And.EndsWith("is not positive and finite"));
        Assert.That(new UpdateScreener().Screen(1, updates).Any(f => f.ClientId == "client06"), Is.False, "the pooled model does not read counts");
    }

    [Test]
    public void Non_finite_updates_are_always_excluded_and_do_not_disturb_the_statistics()
    {
        WeightedUpdate[] updates = HonestRound(new DeterministicRandom(8), 10);
        WeightedUpdate[] withoutClient4 = updates.Where((_, i) => i != 4).ToArray();
        updates[4] = updates[4] with { Values = Enumerable.Repeat(float.PositiveInfinity, Length).ToArray() };
        var screener = new UpdateScreener(new UpdateScreenerOptions { ExcludeFlagged = false });

        IReadOnlyList<ClientFlag> flags = screener.Screen(1, updates);

        Assert.That(flags.Single(f => f.ClientId == "client04"), Is.EqualTo(new ClientFlag("client04", Length, $"{Length} non-finite values", true) { CertainlyFaulty = true }));
        Assert.That(flags.Where(f => f.ClientId != "client04"), Is.EqualTo(screener.Screen(1, withoutClient4)).AsCollection, "the others are judged as if client04 were absent");
    }

    [Test]
    public void Without_exclusion_statistical_flags_are_reported_but_not_excluded()
    {
        WeightedUpdate[] updates = HonestRound(new DeterministicRandom(9), 10);
        updates[2] = updates[2] with { Values = updates[2].Values.ToArray().Select(v => v * 50).ToArray() };

        IReadOnlyList<ClientFlag> flags = new UpdateScreener(new UpdateScreenerOptions { ExcludeFlagged = false }).Screen(1, updates);

        Assert.That(flags.Select(f => f.ClientId), Is.EqualTo(new[] { "client02" }));
        Assert.That(flags[0].Exclude, Is.False);
        Assert.That(flags[0].CertainlyFaulty, Is.False, "an outlying norm is suspicious, not proof");
        Assert.That(flags[0].Reason, Does.StartWith("norm "));
        Assert.That(flags[0].Score, Is.GreaterThan(3.5));
    }

    [TestCase(NormModel.Pooled)]
    [TestCase(NormModel.ExampleCount)]
    public void Flags_do_not_depend_on_client_order(NormModel model)
    {
        var random = new DeterministicRandom(10);
        WeightedUpdate[] updates = HonestRound(random, 20);
        IReadOnlyList<WeightedUpdate> sent = new SignFlipAttack().Apply(new ByzantineRound(1, updates, ["client03", "client11"]));
        var options = new UpdateScreenerOptions { NormModel = model };

        IReadOnlyList<ClientFlag> inOrder = new UpdateScreener(options).Screen(1, sent);
        IReadOnlyList<ClientFlag> shuffled = new UpdateScreener(options).Screen(1, TestUpdates.Shuffled(sent.ToArray(), random));

        Assert.That(shuffled, Is.EqualTo(inOrder).AsCollection);
        Assert.That(inOrder.Select(f => f.ClientId), Is.EqualTo(new[] { "client03", "client11" }));
    }

    [Test]
    public void Flags_are_recorded_in_the_reputation()
    {
        var reputation = new ClientReputation(new ClientReputationOptions { Window = 4, MaxFlags = 2 });
        var screener = new UpdateScreener(new UpdateScreenerOptions(), reputation);
        WeightedUpdate[] updates = HonestRound(new DeterministicRandom(12), 10);
        IReadOnlyList<WeightedUpdate> sent = new ScalingAttack(20).Apply(new ByzantineRound(1, updates, ["client07"]));

        screener.Screen(1, sent);
        screener.Screen(2, sent);

        Assert.That(reputation.GetFlaggedRounds("client07"), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(reputation.IsEligible("client07", 3), Is.False);
        Assert.That(reputation.IsEligible("client01", 3), Is.True);
    }
    [TestCase(true)]
    [TestCase(false)]
    public void A_client_with_a_bad_record_is_flagged_by_reputation_only_when_asked(bool flagByReputation)
    {
        var reputation = new ClientReputation(new ClientReputationOptions { Window = 10, MaxFlags = 3 });
        var screener = new UpdateScreener(new UpdateScreenerOptions { FlagByReputation = flagByReputation }, reputation);
        string[] attacker = ["client03"];
        for (int round = 1; round <= 3; round++)
        {
            WeightedUpdate[] updates = HonestRound(new DeterministicRandom((ulong)(round * 31)), 20);
            IReadOnlyList<WeightedUpdate> sent = new SignFlipAttack().Apply(new ByzantineRound(round, updates, attacker));
            Assert.That(screener.Screen(round, sent).Select(f => f.ClientId), Does.Contain("client03"), $"round {round}: the sign flip itself");
        }

        // Round 4: the attacker sends an honest-looking update.
        IReadOnlyList<ClientFlag> flags = screener.Screen(4, HonestRound(new DeterministicRandom(4 * 31), 20));

        ClientFlag? flag = flags.SingleOrDefault(f => f.ClientId == "client03");
        if (flagByReputation)
        {
            Assert.That(flag, Is.Not.Null);
            Assert.That(flag!.Reason, Is.EqualTo("flagged in 3 of the last 10 rounds"));
            Assert.That(flag.Exclude, Is.True);
            Assert.That(reputation.CountFlagsBefore("client03", 5), Is.EqualTo(3), "a flag by reputation is not evidence: it is not recorded");
        }
        else
        {
            Assert.That(flag, Is.Null);
        }
    }
}
