using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

public sealed class LogMathTests
{
    // Reference values of erfc (Abramowitz and Stegun, Table 7.1, extended to 16 digits).
    [TestCase(0.0, 1.0)]
    [TestCase(0.5, 0.4795001221869535)]
    [TestCase(1.0, 0.15729920705028513)]
    [TestCase(2.0, 0.004677734981047266)]
    [TestCase(3.0, 2.209049699858544e-05)]
    [TestCase(-1.0, 1.8427007929497148)]
    [TestCase(-3.0, 1.9999779095030015)]
    public void Log_erfc_matches_reference_values(double x, double erfc)
    {
        Assert.That(LogMath.LogErfc(x), Is.EqualTo(Math.Log(erfc)).Within(1e-12).Percent.Or.EqualTo(0).Within(1e-15));
    }

    [TestCase(20.0)]
    [TestCase(30.0)]
    [TestCase(300.0)]
    public void Log_erfc_does_not_underflow_for_large_arguments(double x)
    {
        // Asymptotic series log erfc(x) = −x² − log(x√π) + log(1 − 1/(2x²) + 3/(4x⁴) − 15/(8x⁶) + 105/(16x⁸) − 945/(32x¹⁰)),
        // whose truncation error at x ≥ 20 is below 1e−15.
        double u = 1 / (x * x);
        double expected = -(x * x) - Math.Log(x * Math.Sqrt(Math.PI)) + Math.Log(1 - (u / 2) + (3 * u * u / 4) - (15 * u * u * u / 8) + (105 * u * u * u * u / 16) - (945 * u * u * u * u * u / 32));

        Assert.That(LogMath.LogErfc(x), Is.EqualTo(expected).Within(1e-12).Percent);
    }

    [Test]
    public void Log_space_addition_and_subtraction_are_exact_to_rounding()
    {
        Assert.That(LogMath.LogAdd(Math.Log(2), Math.Log(3)), Is.EqualTo(Math.Log(5)).Within(1e-15));
        Assert.That(LogMath.LogAdd(double.NegativeInfinity, 1.5), Is.EqualTo(1.5));
        Assert.That(LogMath.LogAdd(1000, 1000), Is.EqualTo(1000 + Math.Log(2)).Within(1e-12));
        Assert.That(LogMath.LogSub(Math.Log(5), Math.Log(3)), Is.EqualTo(Math.Log(2)).Within(1e-15));
        Assert.That(LogMath.LogSub(2.0, 2.0), Is.EqualTo(double.NegativeInfinity));
        Assert.That(() => LogMath.LogSub(1.0, 2.0), Throws.ArgumentException);
        Assert.That(LogMath.Log1P(1e-20), Is.EqualTo(1e-20));
        Assert.That(LogMath.ExpM1(1e-20), Is.EqualTo(1e-20));
        Assert.That(LogMath.ExpM1(1e-6), Is.EqualTo(1.0000005000001665e-06).Within(1e-14).Percent);
    }
}
