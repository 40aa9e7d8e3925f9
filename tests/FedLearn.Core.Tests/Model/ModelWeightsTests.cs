using NUnit.Framework;
namespace FedLearn.Core.Tests.Model;

[TestFixture]
public sealed class ModelWeightsTests
{
    [Test]
    public void Tensors_are_laid_out_back_to_back_in_order()
    {
        var weights = new ModelWeights([("a", [2, 3]), ("b", [4]), ("c", [])]);

        Assert.That(weights.Length, Is.EqualTo(11));
        Assert.That(weights.Tensors.Select(t => t.Offset), Is.EqualTo(new[] { 0, 6, 10 }));
        weights.GetTensor("b")[0] = 5f;
        Assert.That(weights.Values[6], Is.EqualTo(5f));
    }

    [Test]
    public void Duplicate_names_and_unknown_names_give_clear_errors()
    {
        Assert.That(() => new ModelWeights([("a", [1]), ("a", [2])]), Throws.ArgumentException.With.Message.Contains("'a' appears twice"));
        var weights = new ModelWeights([("a", [1])]);
        Assert.That(() => weights.GetTensor("z"), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("no tensor named 'z'"));
    }

    [Test]
    public void Layout_mismatch_names_the_first_difference()
    {
        var a = new ModelWeights([("fc.weight", [10, 784]), ("fc.bias", [10])]);
        var b = new ModelWeights([("fc.weight", [10, 784]), ("fc.bias", [11])]);

        Assert.That(a.HasSameLayout(b), Is.False);
        Assert.That(() => a.EnsureSameLayout(b, "other"), Throws.ArgumentException.With.Message.Contains("expected 'fc.bias' [10] but got 'fc.bias' [11]"));
    }

    [Test]
    public void Clone_copies_the_buffer()
    {
        var weights = new ModelWeights([("a", [3])]);
        ModelWeights copy = weights.Clone();
        copy.Values[0] = 1f;
        Assert.That(weights.Values[0], Is.Zero);
    }

    [Test]
    public void Buffer_of_the_wrong_length_is_rejected()
    {
        Assert.That(() => ModelWeights.FromBuffer([("a", [3])], new float[4]), Throws.ArgumentException.With.Message.Contains("4 values but the tensors need 3"));
    }
}
