using FedLearn.Data;
using FedLearn.Privacy.Auditing;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class CanarySetTests
{
    private static readonly Lazy<LabeledDataset> Train = new(() => FashionMnist.Load(null, FashionMnistSplit.Train));

    [Test]
    public void Includes_about_half_of_the_canaries_and_holds_out_the_rest()
    {
        DatasetView source = Source(0, 4000);

        CanarySet canaries = CanarySet.Mislabel(source, seed: 11);

        // Binomial(4000, 1/2) has standard deviation 31.6; 4 of them is a 1-in-15,000 miss for a fair coin, while a
        // coin of 0.45 or 0.55 would land 200 away.
        int included = canaries.Included.ToArray().Count(x => x);
        Assert.Multiple(() =>
        {
            Assert.That(canaries.Count, Is.EqualTo(4000));
            Assert.That(canaries.IncludedCount, Is.EqualTo(included));
            Assert.That(canaries.IncludedCount + canaries.ExcludedCount, Is.EqualTo(4000));
            Assert.That(included, Is.InRange(2000 - 126, 2000 + 126));
            Assert.That(canaries.IncludedCanaries().Count, Is.EqualTo(canaries.IncludedCount));
            Assert.That(canaries.ExcludedCanaries().Count, Is.EqualTo(canaries.ExcludedCount));
        });
    }

    [Test]
    public void Membership_is_independent_of_the_true_label()
    {
        CanarySet canaries = CanarySet.Mislabel(Source(0, 6000), seed: 3);

        // About 600 canaries per class; a share outside [0.40, 0.60] would be 5 standard deviations off.
        for (int label = 0; label < FashionMnist.ClassCount; label++)
        {
            int inClass = 0, included = 0;
            for (int i = 0; i < canaries.Count; i++)
            {
                if (canaries.TrueLabels[i] == label)
                {
                    inClass++;
                    included += canaries.Included[i] ? 1 : 0;
                }
            }

            Assert.That((double)included / inClass, Is.InRange(0.40, 0.60), $"class {label}");
        }
    }

    [Test]
    public void The_same_seed_gives_the_same_canaries_and_another_seed_others()
    {
        DatasetView source = Source(100, 500);

        CanarySet first = CanarySet.Mislabel(source, seed: 7);
        CanarySet again = CanarySet.Mislabel(source, seed: 7);
        CanarySet other = CanarySet.Mislabel(source, seed: 8);

        Assert.Multiple(() =>
        {
            Assert.That(again.Included.ToArray(), Is.EqualTo(first.Included.ToArray()));
            Assert.That(again.Records.Labels, Is.EqualTo(first.Records.Labels));
            Assert.That(again.Records.Features, Is.EqualTo(first.Records.Features));
            Assert.That(other.Included.ToArray(), Is.Not.EqualTo(first.Included.ToArray()));
            Assert.That(other.Records.Labels, Is.Not.EqualTo(first.Records.Labels));
        });
    }

    [Test]
    public void Every_canary_keeps_its_image_and_gets_a_wrong_label_drawn_from_every_other_class()
    {
        DatasetView source = Source(0, 3000);

        CanarySet canaries = CanarySet.Mislabel(source, seed: 21);

        var pairs = new int[FashionMnist.ClassCount, FashionMnist.ClassCount];
        for (int i = 0; i < canaries.Count; i++)
        {
            Assert.That(canaries.TrueLabels[i], Is.EqualTo(source.GetLabel(i)), $"canary {i}'s true label");
            Assert.That(canaries.Records.Labels[i], Is.Not.EqualTo(source.GetLabel(i)), $"canary {i} keeps its true label");
            Assert.That(canaries.Records.GetFeatures(i).SequenceEqual(source.GetFeatures(i)), $"canary {i}'s image");
            pairs[canaries.TrueLabels[i], canaries.Records.Labels[i]]++;
        }

        // 300 canaries per true class over 9 wrong classes: about 33 each; every wrong class must occur.
        for (int truth = 0; truth < FashionMnist.ClassCount; truth++)
        {
            for (int wrong = 0; wrong < FashionMnist.ClassCount; wrong++)
            {
                if (wrong != truth)
                {
                    Assert.That(pairs[truth, wrong], Is.Positive, $"class {truth} is never relabelled {wrong}");
                }
            }
        }
    }

    [Test]
    public void The_training_set_holds_the_members_then_the_included_canaries_with_their_canary_labels()
    {
        DatasetView members = Source(0, 50);
        CanarySet canaries = CanarySet.Mislabel(Source(50, 40), seed: 2);

        DatasetView training = canaries.WithIncludedCanaries(members);

        DatasetView included = canaries.IncludedCanaries();
        Assert.That(training.Count, Is.EqualTo(50 + canaries.IncludedCount));
        for (int i = 0; i < members.Count; i++)
        {
            Assert.That(training.GetLabel(i), Is.EqualTo(members.GetLabel(i)));
            Assert.That(training.GetFeatures(i).SequenceEqual(members.GetFeatures(i)), $"member {i}");
        }

        for (int j = 0; j < included.Count; j++)
        {
            Assert.That(training.GetLabel(50 + j), Is.EqualTo(included.GetLabel(j)));
            Assert.That(training.GetFeatures(50 + j).SequenceEqual(included.GetFeatures(j)), $"canary {j}");
        }
    }

    [Test]
    public void Rejects_an_empty_source_and_members_of_another_shape()
    {
        var other = new LabeledDataset(new float[6], [0, 1], featureCount: 3, classCount: 2);
        CanarySet canaries = CanarySet.Mislabel(Source(0, 10), seed: 1);

        Assert.Multiple(() =>
        {
            Assert.That(() => CanarySet.Mislabel(Source(0, 0), seed: 1), Throws.ArgumentException.With.Message.Contains("holds no record"));
            Assert.That(() => canaries.WithIncludedCanaries(other.All()), Throws.ArgumentException.With.Message.Contains("members have 3 features and 2 classes"));
        });
    }

    private static DatasetView Source(int start, int count)
    {
        if (!File.Exists(FashionMnist.LocateFiles(null, FashionMnistSplit.Train).ImagesPath))
        {
            Assert.Ignore("Fashion-MNIST is not installed.");
        }

        return new DatasetView(Train.Value, [.. Enumerable.Range(start, count)]);
    }
}
