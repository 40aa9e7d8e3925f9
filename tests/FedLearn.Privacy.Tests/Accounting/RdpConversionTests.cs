using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

public sealed class RdpConversionTests
{
    [Test]
    public void Applies_balle_et_al_theorem_21_and_returns_the_minimising_order()
    {
        double[] orders = [2, 8, 32];
        double[] rdp = [0.5, 1.0, 4.0];
        double delta = 1e-5;
        double[] expected = orders.Select((a, k) => rdp[k] + Math.Log((a - 1) / a) - ((Math.Log(delta) + Math.Log(a)) / (a - 1))).ToArray();

        PrivacySpent spent = RdpConversion.ToEpsilon(orders, rdp, delta);

        Assert.That(spent.Epsilon, Is.EqualTo(expected.Min()).Within(1e-12));
        Assert.That(spent.Order, Is.EqualTo(orders[Array.IndexOf(expected, expected.Min())]));
        Assert.That(spent.Delta, Is.EqualTo(delta));
    }

    [Test]
    public void Is_tighter_than_the_classical_conversion()
    {
        double[] orders = [.. RdpOrders.Default];
        double[] rdp = new double[orders.Length];
        SubsampledGaussianRdp.Compute(1.1, 0.01, 10_000, orders, rdp);

        double improved = RdpConversion.ToEpsilon(orders, rdp, 1e-5).Epsilon;
        double classical = orders.Select((a, k) => rdp[k] + (Math.Log(1 / 1e-5) / (a - 1))).Min();

        Assert.That(improved, Is.LessThan(classical));
    }

    [Test]
    public void No_noise_gives_infinite_epsilon_and_no_order()
    {
        PrivacySpent spent = RdpConversion.ToEpsilon([2.0, 3.0], [double.PositiveInfinity, double.PositiveInfinity], 1e-5);

        Assert.That(spent.Epsilon, Is.EqualTo(double.PositiveInfinity));
        Assert.That(spent.Order, Is.NaN);
    }

    [Test]
    public void Rejects_mismatched_lengths_negative_rdp_and_bad_delta()
    {
        Assert.That(() => RdpConversion.ToEpsilon([2.0], [1.0, 2.0], 1e-5), Throws.ArgumentException.With.Message.Contains("1 orders and 2 values"));
        Assert.That(() => RdpConversion.ToEpsilon([2.0], [-1.0], 1e-5), Throws.ArgumentException.With.Message.Contains("must be ≥ 0"));
        Assert.That(() => RdpConversion.ToEpsilon([2.0], [1.0], 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("delta"));
        Assert.That(() => RdpConversion.ToEpsilon([2.0], [1.0], 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
