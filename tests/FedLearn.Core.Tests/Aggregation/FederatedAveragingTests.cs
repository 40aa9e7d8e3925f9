using FedLearn.Aggregation;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Aggregation;

public sealed class FederatedAveragingTests
{
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public void Averaging_identical_updates_returns_that_update_exactly(PositiveInt length, PositiveInt clients, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        float[] update = RandomVector(random, length.Get % 300);
        var updates = Enumerable.Range(0, 1 + (clients.Get % 20))
            .Select(i => new WeightedUpdate($"c{i}", update, 1 + random.NextInt(5000)))
            .ToArray();
        float[] destination = new float[update.Length];

        FederatedAveraging.Average(updates, destination);

        Assert.That(destination, Is.EqualTo(update).AsCollection);
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public void Client_order_changes_the_mean_only_by_rounding(PositiveInt length, PositiveInt clients, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        int n = length.Get % 300;
        WeightedUpdate[] updates = Enumerable.Range(0, 1 + (clients.Get % 20))
            .Select(i => new WeightedUpdate($"c{i}", RandomVector(random, n), 1 + random.NextInt(5000)))
            .ToArray();
        WeightedUpdate[] shuffled = (WeightedUpdate[])updates.Clone();
        random.Shuffle(shuffled.AsSpan());

        float[] inOrder = new float[n];
        float[] again = new float[n];
        float[] reordered = new float[n];
        FederatedAveraging.Average(updates, inOrder);
        FederatedAveraging.Average(updates, again);
        FederatedAveraging.Average(shuffled, reordered);

        Assert.That(BitsOf(again), Is.EqualTo(BitsOf(inOrder)), "the same order must give bit-identical results");
        double[] exact = ExactMean(updates, out double[] magnitude);
        for (int j = 0; j < n; j++)
        {
            // Each order rounds a double-precision sum (error below count·2⁻⁵³·Σ pᵢ|xᵢ|) once to float, so the two
            // results differ by at most one float ulp of the exact mean plus that double error.
            float nearest = MathF.Abs((float)exact[j]);
            double tolerance = (MathF.BitIncrement(nearest) - nearest) + (updates.Length * Math.ScaleB(magnitude[j], -50));
            Assert.That(reordered[j], Is.EqualTo(inOrder[j]).Within(tolerance), $"index {j}");
        }
    }

    [Test]
    public void Weights_updates_by_their_example_counts()
    {
        WeightedUpdate[] updates =
        [
            new("a", new float[] { 1f, 2f, -8f }, 1),
            new("b", new float[] { 4f, -1f, 0f }, 3),
        ];
        float[] destination = [float.NaN, float.NaN, float.NaN];

        AggregationResult result = new FederatedAveraging().Aggregate(updates, destination);

        // (1·1 + 3·4)/4 = 3.25, (1·2 + 3·(−1))/4 = −0.25, (1·(−8) + 0)/4 = −2.
        Assert.That(destination, Is.EqualTo(new[] { 3.25f, -0.25f, -2f }).AsCollection);
        Assert.That(result.Excluded, Is.Empty);
        Assert.That(result.Scores, Is.Empty);
    }

    [Test]
    public void A_single_update_is_returned_whatever_its_weight()
    {
        float[] update = [0.1f, -3.75f, 1e-30f, 3e38f];
        float[] destination = new float[4];

        FederatedAveraging.Average([new WeightedUpdate("only", update, 0.001)], destination);

        Assert.That(destination, Is.EqualTo(update).AsCollection);
    }

    [Test]
    public void Matches_a_scalar_reference_bit_for_bit_at_every_length_up_to_300()
    {
        var random = new DeterministicRandom(7);
        for (int n = 0; n <= 300; n++)
        {
            WeightedUpdate[] updates = Enumerable.Range(0, 3)
                .Select(i => new WeightedUpdate($"c{i}", RandomVector(random, n), 1 + random.NextInt(100)))
                .ToArray();
            float[] destination = new float[n];

            FederatedAveraging.Average(updates, destination);

            Assert.That(BitsOf(destination), Is.EqualTo(BitsOf(ScalarReference(updates))), $"length {n}");
        }
    }

    [Test]
    public void Rejects_an_empty_list()
    {
        var error = Assert.Throws<ArgumentException>(() => FederatedAveraging.Average([], new float[3]));
        Assert.That(error!.Message, Does.Contain("at least one update but got none"));
    }

    [Test]
    public void Rejects_an_update_of_the_wrong_length_naming_the_client()
    {
        WeightedUpdate[] updates = [new("a", new float[3], 1), new("hospital-7", new float[2], 1)];

        var error = Assert.Throws<ArgumentException>(() => FederatedAveraging.Average(updates, new float[3]));

        Assert.That(error!.Message, Does.Contain("client 'hospital-7' has 2 values but the destination has 3"));
    }

    [TestCase(0.0)]
    [TestCase(-2.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Rejects_a_weight_that_is_not_positive_and_finite(double weight)
    {
        WeightedUpdate[] updates = [new("a", new float[3], 1), new("b", new float[3], weight)];

        var error = Assert.Throws<ArgumentException>(() => FederatedAveraging.Average(updates, new float[3]));

        Assert.That(error!.Message, Does.Contain("client 'b' has weight").And.Contain("weights must be positive and finite"));
    }

    [TestCase(float.NaN, "NaN")]
    [TestCase(float.NegativeInfinity, "-Infinity")]
    public void Rejects_a_non_finite_value_naming_the_client_and_index(float bad, string shown)
    {
        float[] values = [1f, 2f, 3f, 4f];
        values[2] = bad;
        WeightedUpdate[] updates = [new("a", new float[4], 1), new("b", values, 1)];
        float[] destination = [9f, 9f, 9f, 9f];

        var error = Assert.Throws<ArgumentException>(() => FederatedAveraging.Average(updates, destination));

        Assert.That(error!.Message, Does.Contain($"client 'b' has a non-finite value ({shown}) at index 2"));
        Assert.That(destination, Is.EqualTo(new[] { 9f, 9f, 9f, 9f }).AsCollection, "the destination is untouched on error");
    }

    [Test]
    public void Rejects_weights_whose_sum_overflows()
    {
        WeightedUpdate[] updates = [new("a", new float[1], double.MaxValue), new("b", new float[1], double.MaxValue)];

        var error = Assert.Throws<ArgumentException>(() => FederatedAveraging.Average(updates, new float[1]));

        Assert.That(error!.Message, Does.Contain("sum to infinity"));
    }

    [Test]
    public void Rejects_a_destination_that_shares_memory_with_an_update()
    {
        float[] shared = new float[4];
        WeightedUpdate[] updates = [new("a", shared, 1)];

        var error = Assert.Throws<ArgumentException>(() => FederatedAveraging.Average(updates, shared));

        Assert.That(error!.Message, Does.Contain("client 'a' shares memory with the destination"));
    }

    [Test]
    public void Is_named_fedavg()
    {
        Assert.That(new FederatedAveraging().Name, Is.EqualTo("fedavg"));
    }

    internal static float[] RandomVector(DeterministicRandom random, int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextGaussian() * 3.0);
        }

        return values;
    }

    // The weighted mean computed in double (straightforwardly, Σ wᵢxᵢ / Σ wᵢ) and Σ pᵢ|xᵢ| per coordinate.
    private static double[] ExactMean(IReadOnlyList<WeightedUpdate> updates, out double[] magnitude)
    {
        int n = updates[0].Values.Length;
        double total = updates.Sum(u => u.Weight);
        double[] mean = new double[n];
        magnitude = new double[n];
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            double absolute = 0;
            foreach (WeightedUpdate u in updates)
            {
                sum += u.Weight * u.Values.Span[j];
                absolute += u.Weight * Math.Abs(u.Values.Span[j]);
            }

            mean[j] = sum / total;
            magnitude[j] = absolute / total;
        }

        return mean;
    }

    // The documented algorithm, one element at a time: pᵢ = wᵢ / Σw, Σ pᵢ·xᵢ in double in the given order, one rounding to float.
    private static float[] ScalarReference(IReadOnlyList<WeightedUpdate> updates)
    {
        int n = updates[0].Values.Length;
        double total = 0;
        foreach (WeightedUpdate u in updates)
        {
            total += u.Weight;
        }

        float[] result = new float[n];
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            foreach (WeightedUpdate u in updates)
            {
                sum += u.Weight / total * u.Values.Span[j];
            }

            result[j] = (float)sum;
        }

        return result;
    }

    private static int[] BitsOf(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
