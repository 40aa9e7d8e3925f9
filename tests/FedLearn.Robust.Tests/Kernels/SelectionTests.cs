using FedLearn.Robust.Kernels;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Kernels;

public sealed class SelectionTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public void Select_returns_the_kth_smallest_and_partitions_around_it(PositiveInt length, int seed, bool ties)
    {
        var random = new DeterministicRandom((ulong)seed);
        int n = 1 + (length.Get % 120);
        float[] values = Enumerable.Range(0, n).Select(_ => ties ? random.NextInt(4) : (float)random.NextGaussian()).ToArray();
        float[] sorted = values.Order().ToArray();
        int k = random.NextInt(n);

        float selected = Selection.Select(values, k);

        Assert.That(selected, Is.EqualTo(sorted[k]));
        Assert.That(values.Take(k).All(v => v <= selected) && values.Skip(k + 1).All(v => v >= selected), Is.True);
        Assert.That(values.Order(), Is.EqualTo(sorted), "select only permutes");
    }
}
