using FedLearn.Privacy.Mechanisms;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Mechanisms;

public sealed class GaussianNoiseTests
{
    private const int Samples = 200_000;

    // 5.3 standard errors: a correct source fails one of these bounds with probability below about 1e−7 per check.
    private const double Z = 5.3;

    public static IEnumerable<TestCaseData> Sources()
    {
        yield return new TestCaseData(new Func<IGaussianNoiseSource>(() => new SeededGaussianNoise(42))).SetArgDisplayNames("seeded");
        yield return new TestCaseData(new Func<IGaussianNoiseSource>(() => new SecureGaussianNoise())).SetArgDisplayNames("secure");
    }

    [TestCaseSource(nameof(Sources))]
    public void The_noise_has_mean_zero_and_standard_deviation_sigma_times_C(Func<IGaussianNoiseSource> create)
    {
        const double NoiseMultiplier = 0.7;
        const double ClippingNorm = 2.0;
        const double Sigma = NoiseMultiplier * ClippingNorm;
        float[] values = new float[Samples];

        double used = GaussianMechanism.AddNoise(values, ClippingNorm, NoiseMultiplier, create());

        double mean = values.Average(v => (double)v);
        double sumSquares = values.Sum(v => (v - mean) * (v - mean));
        // (n − 1)s²/σ² is χ² with n − 1 degrees of freedom: mean n − 1, standard deviation √(2(n − 1)), and at this n
        // the normal approximation is accurate far into the tails.
        double chiSquare = sumSquares / (Sigma * Sigma);
        double withinOneSigma = values.Count(v => Math.Abs(v) <= Sigma) / (double)Samples;
        const double NormalMass = 0.6826894921370859; // P(|Z| ≤ 1)
        TestContext.Out.WriteLine($"mean {mean:E3}, sd {Math.Sqrt(sumSquares / (Samples - 1)):F5} (σC = {Sigma}), P(|x| ≤ σC) = {withinOneSigma:F5}");

        Assert.That(used, Is.EqualTo(Sigma));
        Assert.That(Math.Abs(mean), Is.LessThan(Z * Sigma / Math.Sqrt(Samples)));
        Assert.That(Math.Abs(chiSquare - (Samples - 1)), Is.LessThan(Z * Math.Sqrt(2.0 * (Samples - 1))));
        Assert.That(Math.Abs(withinOneSigma - NormalMass), Is.LessThan(Z * Math.Sqrt(NormalMass * (1 - NormalMass) / Samples)));
    }

    [Test]
    public void The_same_seed_gives_the_same_noise_and_another_seed_other_noise()
    {
        float[] a = new float[64];
        float[] b = new float[64];
        float[] c = new float[64];

        new SeededGaussianNoise(7).AddNoise(a, 1.0);
        new SeededGaussianNoise(7).AddNoise(b, 1.0);
        new SeededGaussianNoise(8).AddNoise(c, 1.0);

        Assert.That(a, Is.EqualTo(b).AsCollection);
        Assert.That(a, Is.Not.EqualTo(c).AsCollection);
    }

    [Test]
    public void Two_secure_sources_do_not_repeat_each_other()
    {
        float[] a = new float[64];
        float[] b = new float[64];

        new SecureGaussianNoise().AddNoise(a, 1.0);
        new SecureGaussianNoise().AddNoise(b, 1.0);

        Assert.That(a, Is.Not.EqualTo(b).AsCollection);
    }

    [Test]
    public void Zero_standard_deviation_changes_nothing_and_bad_arguments_are_rejected()
    {
        float[] values = [1f, 2f];
        new SecureGaussianNoise().AddNoise(values, 0);

        Assert.That(values, Is.EqualTo(new[] { 1f, 2f }).AsCollection);
        Assert.That(() => new SeededGaussianNoise(1).AddNoise(values, -1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("standardDeviation"));
        Assert.That(() => GaussianMechanism.AddNoise(values, 0, 1, new SeededGaussianNoise(1)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sensitivity"));
        Assert.That(() => GaussianMechanism.AddNoise(values, 1, double.NaN, new SeededGaussianNoise(1)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("noiseMultiplier"));
    }
}
