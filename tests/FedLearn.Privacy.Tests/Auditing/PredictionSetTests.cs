using FedLearn.Privacy.Auditing;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class PredictionSetTests
{
    [Test]
    public void Accuracy_is_the_share_of_rows_whose_top_class_is_the_label()
    {
        var set = new PredictionSet([0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.3, 0.6, 0.1], [0, 1, 1], 3);

        Assert.Multiple(() =>
        {
            Assert.That(set.Accuracy(), Is.EqualTo(2.0 / 3.0));
            Assert.That(set[2].ToArray(), Is.EqualTo(new[] { 0.3, 0.6, 0.1 }));
        });
    }

    [Test]
    public void Rejects_rows_that_are_not_distributions_and_labels_out_of_range()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new PredictionSet([0.5, 0.6], [0], 2), Throws.ArgumentException.With.Message.Contains("sum to"));
            Assert.That(() => new PredictionSet([1.5, -0.5], [0], 2), Throws.ArgumentException.With.Message.Contains("must be in [0, 1]"));
            Assert.That(() => new PredictionSet([0.5, 0.5], [2], 2), Throws.ArgumentException.With.Message.Contains("Label 2"));
            Assert.That(() => new PredictionSet([0.5, 0.5, 0.5], [0], 2), Throws.ArgumentException.With.Message.Contains("need 2 probabilities"));
        });
    }
}
