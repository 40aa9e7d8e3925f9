using FedLearn.Privacy.Auditing;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class MembershipFeaturesTests
{
    [Test]
    public void Writes_sorted_confidences_then_loss_then_scaled_confidence()
    {
        double[] probabilities = [0.1, 0.6, 0.3];
        var features = new double[MembershipFeatures.Count(3)];

        MembershipFeatures.Write(probabilities, label: 2, features);

        Assert.Multiple(() =>
        {
            Assert.That(features[..3], Is.EqualTo(new[] { 0.6, 0.3, 0.1 }));
            Assert.That(features[3], Is.EqualTo(-Math.Log(0.3)).Within(1e-15));
            Assert.That(features[4], Is.EqualTo(Math.Log(0.3 / 0.7)).Within(1e-15));
        });
    }

    [Test]
    public void Keeps_precision_when_the_true_class_is_almost_certain()
    {
        // p_y = 1 − 3e-14 rounds badly as 1 − p_y, but the other classes carry the exact remainder.
        double[] probabilities = [1e-14, 1 - 3e-14, 2e-14];

        Assert.Multiple(() =>
        {
            Assert.That(MembershipFeatures.Loss(probabilities, 1), Is.EqualTo(3e-14).Within(1e-6).Percent);
            Assert.That(MembershipFeatures.ScaledConfidence(probabilities, 1), Is.EqualTo(-Math.Log(3e-14)).Within(1e-9).Percent);
        });
    }

    [Test]
    public void Loss_is_finite_when_the_true_class_has_probability_zero()
    {
        Assert.That(MembershipFeatures.Loss([1.0, 0.0], 1), Is.EqualTo(-Math.Log(1e-300)).Within(1e-9));
    }

    [Test]
    public void Loss_threshold_scores_are_negated_losses()
    {
        var predictions = new PredictionSet([0.9, 0.1, 0.2, 0.8], [0, 0], 2);

        Assert.That(LossThresholdAttack.Scores(predictions), Is.EqualTo(new[] { Math.Log(0.9), Math.Log(0.2) }).Within(1e-15));
    }

    [Test]
    public void Loss_threshold_is_the_negated_mean_training_loss_over_every_model()
    {
        var first = new PredictionSet([0.5, 0.5], [0], 2);
        var second = new PredictionSet([0.25, 0.75, 1.0, 0.0], [1, 0], 2);

        double threshold = LossThresholdAttack.Threshold([first, second]);

        Assert.That(threshold, Is.EqualTo((Math.Log(0.5) + Math.Log(0.75) + 0) / 3).Within(1e-15));
    }

    [Test]
    public void Rejects_a_destination_of_the_wrong_length_and_a_label_outside_the_vector()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => MembershipFeatures.Write([0.5, 0.5], 0, new double[3]), Throws.ArgumentException.With.Message.Contains("holds 3"));
            Assert.That(() => MembershipFeatures.Loss([0.5, 0.5], 2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 2)"));
        });
    }
}
