using FedLearn.Privacy.Auditing;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class LogisticRegressionTests
{
    [Test]
    public void Recovers_a_separable_linear_rule()
    {
        // Label = (2·x₀ − x₁ + 0.5·x₂ > 0.3), x uniform in [−1, 1)³, with a margin of 0.05 kept clear.
        (double[] x, bool[] y) = Sample(4000, seed: 11, Rule);

        var model = LogisticRegression.Fit(x, y, 3, l2: 1e-4);

        (double[] testX, bool[] testY) = Sample(4000, seed: 12, Rule);
        double direction = model.Weights[1] / model.Weights[0];
        Assert.Multiple(() =>
        {
            Assert.That(Accuracy(model, x, y), Is.EqualTo(1.0));
            Assert.That(Accuracy(model, testX, testY), Is.GreaterThanOrEqualTo(0.995));
            Assert.That(direction, Is.EqualTo(-0.5).Within(0.05));
            Assert.That(model.Weights[2] / model.Weights[0], Is.EqualTo(0.25).Within(0.05));
            Assert.That(-model.Bias / model.Weights[0], Is.EqualTo(0.15).Within(0.02));
        });

        static bool? Rule(double[] v)
        {
            double margin = (2 * v[0]) - v[1] + (0.5 * v[2]) - 0.3;
            return Math.Abs(margin) < 0.05 ? null : margin > 0;
        }
    }

    [Test]
    public void Recovers_the_coefficients_of_a_logistic_model()
    {
        // P(y = 1 | x) = σ(1.5·x₀ − 2·x₁ + 0.5): with 40,000 draws and a negligible penalty the maximum-likelihood
        // estimate is within a few standard errors (≈ 0.03) of the truth.
        var random = new DeterministicRandom(21);
        const int n = 40_000;
        var x = new double[n * 2];
        var y = new bool[n];
        for (int i = 0; i < n; i++)
        {
            x[2 * i] = random.NextGaussian();
            x[(2 * i) + 1] = random.NextGaussian();
            double logit = (1.5 * x[2 * i]) - (2 * x[(2 * i) + 1]) + 0.5;
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
        }

        var model = LogisticRegression.Fit(x, y, 2, l2: 1e-8);

        Assert.Multiple(() =>
        {
            Assert.That(model.Weights[0], Is.EqualTo(1.5).Within(0.1));
            Assert.That(model.Weights[1], Is.EqualTo(-2.0).Within(0.1));
            Assert.That(model.Bias, Is.EqualTo(0.5).Within(0.1));
            Assert.That(model.Iterations, Is.LessThan(30));
        });
    }

    [Test]
    public void A_stronger_penalty_shrinks_the_weights()
    {
        (double[] x, bool[] y) = Sample(1000, seed: 31, v => v[0] + v[1] > 0);

        double weak = Math.Abs(LogisticRegression.Fit(x, y, 3, 1e-3).Weights[0]);
        double strong = Math.Abs(LogisticRegression.Fit(x, y, 3, 1.0).Weights[0]);

        Assert.That(strong, Is.LessThan(weak));
    }

    [Test]
    public void A_constant_feature_gets_no_weight()
    {
        (double[] x, bool[] y) = Sample(500, seed: 41, v => Math.Abs(v[0]) < 0.05 ? null : v[0] > 0);
        for (int i = 0; i < y.Length; i++)
        {
            x[(3 * i) + 2] = 7;
        }

        var model = LogisticRegression.Fit(x, y, 3, 1e-3);

        Assert.Multiple(() =>
        {
            Assert.That(model.Weights[2], Is.Zero);
            Assert.That(Accuracy(model, x, y), Is.EqualTo(1.0));
        });
    }

    [Test]
    public void Rejects_one_class_and_bad_shapes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => LogisticRegression.Fit([1.0, 2.0], [true, true], 1, 1e-3), Throws.ArgumentException.With.Message.Contains("Both classes"));
            Assert.That(() => LogisticRegression.Fit([1.0, 2.0, 3.0], [true, false], 1, 1e-3), Throws.ArgumentException.With.Message.Contains("need 2 values"));
            Assert.That(() => LogisticRegression.Fit([1.0, double.NaN], [true, false], 1, 1e-3), Throws.ArgumentException.With.Message.Contains("finite"));
            Assert.That(() => LogisticRegression.Fit([1.0, 2.0], [true, false], 1, 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("L2"));
        });
    }

    private static (double[] X, bool[] Y) Sample(int n, ulong seed, Func<double[], bool?> rule)
    {
        var random = new DeterministicRandom(seed);
        var x = new List<double>();
        var y = new List<bool>();
        while (y.Count < n)
        {
            double[] v = [(2 * random.NextDouble()) - 1, (2 * random.NextDouble()) - 1, (2 * random.NextDouble()) - 1];
            if (rule(v) is bool label)
            {
                x.AddRange(v);
                y.Add(label);
            }
        }

        return (x.ToArray(), y.ToArray());
    }

    private static double Accuracy(LogisticRegression model, double[] x, bool[] y)
    {
        int correct = 0;
        for (int i = 0; i < y.Length; i++)
        {
            correct += (model.PredictProbability(x.AsSpan(i * model.FeatureCount, model.FeatureCount)) >= 0.5) == y[i] ? 1 : 0;
        }

        return (double)correct / y.Length;
    }
}
