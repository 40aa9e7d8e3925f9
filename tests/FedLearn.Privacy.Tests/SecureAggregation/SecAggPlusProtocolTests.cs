using FedLearn.Privacy.SecureAggregation;
using FedLearn.Transport;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.SecureAggregation;

public sealed class SecAggPlusProtocolTests
{
    [Test]
    public async Task Without_dropouts_the_unmasked_mean_is_the_plain_fixed_point_mean_exactly()
    {
        var harness = new SecAggHarness(7);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        (float[][] deltas, long[] examples) = Inputs(7, 300, seed: 1);

        RoundOutcome outcome = await harness.RunAsync(server, 1, deltas, examples);

        Assert.That(outcome.Result!.Succeeded, Is.True, outcome.Result.FailureReason);
        Assert.That(outcome.Result.Aggregated, Has.Count.EqualTo(7));
        Assert.That(outcome.Mean, Is.EqualTo(outcome.PlainMean).AsCollection);
        Assert.That(MaxError(outcome.Mean!, WeightedMean(deltas, examples, [0, 1, 2, 3, 4, 5, 6])), Is.LessThan(1e-4));
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public async Task A_client_dropping_before_a_stage_is_recovered_while_each_neighbourhood_keeps_the_threshold(int stage)
    {
        var harness = new SecAggHarness(9);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        (float[][] deltas, long[] examples) = Inputs(9, 64, seed: stage);
        harness.DropBefore("c002", stage);
        harness.DropBefore("c006", stage);

        RoundOutcome outcome = await harness.RunAsync(server, 1, deltas, examples);

        Assert.That(outcome.Result!.Succeeded, Is.True, outcome.Result.FailureReason);
        int[] expected = stage == 5 ? [0, 1, 2, 3, 4, 5, 6, 7, 8] : [0, 1, 3, 4, 5, 7, 8];
        Assert.That(outcome.Result.Aggregated, Is.EqualTo(expected.Select(i => harness.Ids[i])).AsCollection);
        Assert.That(outcome.Mean, Is.EqualTo(outcome.PlainMean).AsCollection);
    }

    [Test]
    public async Task Too_few_survivors_at_unmasking_abort_the_round_with_the_reason()
    {
        var harness = new SecAggHarness(5);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        (float[][] deltas, long[] examples) = Inputs(5, 16, seed: 3);
        foreach (string id in harness.Ids.Take(3))
        {
            harness.DropBefore(id, 5);
        }

        RoundOutcome outcome = await harness.RunAsync(server, 1, deltas, examples);

        Assert.That(outcome.Result!.Succeeded, Is.False);
        Assert.That(outcome.Result.FailureReason, Does.Contain("fewer than the reconstruction threshold of 3 shares").And.Contain("aborted"));
    }

    [Test]
    public async Task Too_few_masked_inputs_abort_the_round()
    {
        var harness = new SecAggHarness(5);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        (float[][] deltas, long[] examples) = Inputs(5, 16, seed: 4);
        foreach (string id in harness.Ids.Take(3))
        {
            harness.DropBefore(id, 4);
        }

        RoundOutcome outcome = await harness.RunAsync(server, 1, deltas, examples);

        Assert.That(outcome.Result!.FailureReason, Is.EqualTo("only 2 masked inputs arrived; the reconstruction threshold is 3."));
    }

    [Test]
    public async Task Too_few_clients_sharing_keys_stop_the_set_up()
    {
        var harness = new SecAggHarness(5);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        (float[][] deltas, long[] examples) = Inputs(5, 8, seed: 5);
        foreach (string id in harness.Ids.Take(3))
        {
            harness.DropBefore(id, 2);
        }

        RoundOutcome outcome = await harness.RunAsync(server, 1, deltas, examples);

        Assert.That(outcome.Setup.FailureReason, Is.EqualTo("only 2 clients shared their keys; the reconstruction threshold is 3."));
    }

    [Test]
    public async Task Consecutive_rounds_use_fresh_keys_and_each_sums_exactly()
    {
        var harness = new SecAggHarness(6);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        for (int round = 1; round <= 3; round++)
        {
            (float[][] deltas, long[] examples) = Inputs(6, 40, seed: 10 + round);
            RoundOutcome outcome = await harness.RunAsync(server, round, deltas, examples);
            Assert.That(outcome.Mean, Is.EqualTo(outcome.PlainMean).AsCollection, $"round {round}");
        }
    }

    [Test]
    public async Task A_reply_for_another_round_is_rejected_by_the_server()
    {
        var harness = new SecAggHarness(6);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        harness.Tamper = (id, reply) => id == "c001" && reply is AdvertiseKeysReply keys ? keys with { Round = 7 } : reply;
        (float[][] deltas, long[] examples) = Inputs(6, 8, seed: 6);

        RoundOutcome outcome = await harness.RunAsync(server, 1, deltas, examples);

        Assert.That(outcome.Setup.Failures.Single().Message, Does.Contain("replayed or misrouted"));
        Assert.That(outcome.Setup.Participants, Does.Not.Contain("c001"));
        Assert.That(outcome.Mean, Is.EqualTo(outcome.PlainMean).AsCollection);
    }

    [Test]
    public async Task A_masked_input_sent_twice_is_counted_once()
    {
        var harness = new SecAggHarness(5);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        (float[][] deltas, long[] examples) = Inputs(5, 8, seed: 7);
        var setup = await server.SetUpAsync(1, harness.Ids, 8, harness, CancellationToken.None);
        var updates = setup.Participants.Select((id, i) => new ClientUpdate(id, 1, examples[i], harness.Clients[id].Protect(id, 1, deltas[i], examples[i], SecAggHarness.SeedOf(1, i)), new TrainingMetrics(0, 0, 1, 1, TimeSpan.Zero))).ToList();
        updates.Add(updates[0]);
        float[] mean = new float[8];

        var result = await server.AggregateAsync(1, updates, mean, harness, CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.FailureReason);
        Assert.That(result.Failures.Single().Message, Does.Contain("replayed"));
        Assert.That(mean, Is.EqualTo(SecAggHarness.PlainMean(server.Options, [0, 1, 2, 3, 4], deltas, examples, 1)).AsCollection);
    }

    [Test]
    public void The_client_refuses_a_replayed_or_out_of_round_message()
    {
        using var client = new SecAggPlusClient();
        var parameters = new SecAggPlusParameters(3, 2, 8.0, 1 << 22, 1L << 32, 100, 4);
        Assert.That(client.HandleAsync("a", new AdvertiseKeysRequest(2, 1, parameters), CancellationToken.None).Result, Is.InstanceOf<AdvertiseKeysReply>());

        Assert.That(() => client.HandleAsync("a", new AdvertiseKeysRequest(2, 1, parameters), CancellationToken.None), Throws.InvalidOperationException.With.Message.Contains("replayed"));
        Assert.That(() => client.HandleAsync("a", new AdvertiseKeysRequest(1, 1, parameters), CancellationToken.None), Throws.InvalidOperationException);
        Assert.That(() => client.HandleAsync("a", new ShareKeysRequest(3, []), CancellationToken.None), Throws.InvalidOperationException.With.Message.Contains("out of round"));
        Assert.That(() => client.HandleAsync("a", new UnmaskRequest(2, [1], []), CancellationToken.None), Throws.InvalidOperationException.With.Message.Contains("stage KeysAdvertised"));
        Assert.That(() => client.Protect("a", 2, new float[4], 1, 0), Throws.InvalidOperationException);
    }

    [Test]
    public void The_client_refuses_unsafe_settings()
    {
        using var client = new SecAggPlusClient();
        var parameters = new SecAggPlusParameters(5, 1, 8.0, 1 << 22, 1000, 100, 4);

        Assert.That(() => client.HandleAsync("a", new AdvertiseKeysRequest(1, 1, parameters), CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("threshold 1 is not a majority").And.Message.Contains("modulus 1000"));
    }

    [Test]
    public async Task An_honest_client_never_reveals_both_secrets_of_one_client()
    {
        var harness = new SecAggHarness(5);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        var setup = await server.SetUpAsync(1, harness.Ids, 4, harness, CancellationToken.None);
        SecAggPlusClient client = harness.Clients["c000"];
        client.Protect("c000", 1, new float[4], 10, 1);

        // A server listing client 2 both as a survivor and as dropped gets nothing, and cannot ask again.
        Assert.That(() => client.HandleAsync("c000", new UnmaskRequest(1, [1, 2, 3], [2]), CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("both as survivors and as dropped"));
        Assert.That(() => client.HandleAsync("c000", new UnmaskRequest(1, [1, 3], [2]), CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("replayed"));
        Assert.That(setup.Participants, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task A_second_unmask_request_is_refused_so_a_survivor_cannot_later_be_declared_dropped()
    {
        var harness = new SecAggHarness(5);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        await server.SetUpAsync(1, harness.Ids, 4, harness, CancellationToken.None);
        SecAggPlusClient client = harness.Clients["c000"];
        client.Protect("c000", 1, new float[4], 10, 1);

        var first = (UnmaskReply)(await client.HandleAsync("c000", new UnmaskRequest(1, [1, 2, 3, 4, 5], []), CancellationToken.None))!;

        Assert.That(first.Shares.Select(s => s.Kind), Is.All.EqualTo(ShareKind.SelfMaskSeed));
        Assert.That(() => client.HandleAsync("c000", new UnmaskRequest(1, [1, 3, 4], [2, 5]), CancellationToken.None), Throws.InvalidOperationException);
    }

    [Test]
    public void A_share_sealed_for_one_round_does_not_open_in_another()
    {
        byte[] key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        byte[] sealedBox = KeyAgreement.Encrypt(key, [1, 2, 3], SecAggPlusClient.AssociatedData(1, 2, 3));

        Assert.That(KeyAgreement.Decrypt(key, sealedBox, SecAggPlusClient.AssociatedData(1, 2, 3)), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(() => KeyAgreement.Decrypt(key, sealedBox, SecAggPlusClient.AssociatedData(2, 2, 3)), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
        Assert.That(() => KeyAgreement.Decrypt(key, sealedBox, SecAggPlusClient.AssociatedData(1, 4, 3)), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
    }

    [Test]
    public void Options_list_every_broken_rule_at_once()
    {
        var options = new SecAggPlusOptions { NumShares = 6, ReconstructionThreshold = 3, Modulus = 1000, QuantizationRange = 5000 };

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new SecAggPlusServer(options))!;

        Assert.That(exception.Failures, Has.Some.Contains("NumShares: must be odd"));
        Assert.That(exception.Failures, Has.Some.Contains("ReconstructionThreshold: (3) must be more than half of NumShares (6)"));
        Assert.That(exception.Failures, Has.Some.Contains("Modulus: must be a power of two"));
        Assert.That(exception.Failures, Has.Some.Contains("QuantizationRange: (5000) must be smaller than Modulus (1000)"));
    }

    [Test]
    public void The_sum_must_not_wrap_for_the_number_of_clients()
    {
        var options = new SecAggPlusOptions();

        Assert.That(options.ValidateFor(1000), Is.Empty);
        Assert.That(options.ValidateFor(1024), Has.Some.Contains("the masked sum would wrap around"));
    }

    [Test]
    public void The_threshold_scales_down_for_rounds_smaller_than_a_neighbourhood_but_stays_a_majority()
    {
        var options = new SecAggPlusOptions();

        Assert.That(options.EffectiveThreshold(41), Is.EqualTo(21));
        Assert.That(options.EffectiveThreshold(500), Is.EqualTo(21));
        Assert.That(options.EffectiveThreshold(10), Is.EqualTo(6));
        Assert.That(options.EffectiveThreshold(3), Is.EqualTo(2));
        Assert.That(options.ValidateFor(2), Has.Some.Contains("too few"));
    }

    internal static (float[][] Deltas, long[] Examples) Inputs(int clients, int length, int seed)
    {
        var random = new Random(seed);
        float[][] deltas = Enumerable.Range(0, clients).Select(_ => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        long[] examples = Enumerable.Range(0, clients).Select(_ => (long)random.Next(1, 500)).ToArray();
        return (deltas, examples);
    }

    internal static float[] WeightedMean(float[][] deltas, long[] examples, int[] clients)
    {
        var mean = new double[deltas[0].Length];
        double total = clients.Sum(i => (double)examples[i]);
        foreach (int i in clients)
        {
            for (int k = 0; k < mean.Length; k++)
            {
                mean[k] += deltas[i][k] * examples[i] / total;
            }
        }

        return mean.Select(v => (float)v).ToArray();
    }

    internal static double MaxError(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
