using FedLearn.Robust.Kernels;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Kernels;

public sealed class SortingNetworkTests
{
    [Test]
    public void Full_networks_sort_every_zero_one_input_up_to_14_wires()
    {
        // The zero-one principle: a comparator network that sorts every 0/1 input sorts every input.
        for (int n = 1; n <= 14; n++)
        {
            (int A, int B)[] network = SortingNetwork.For(n, 0, n - 1);
            for (int bits = 0; bits < 1 << n; bits++)
            {
                int[] wires = Enumerable.Range(0, n).Select(i => (bits >> i) & 1).ToArray();
                Apply(network, wires);
                Assert.That(wires, Is.Ordered, $"n = {n}, input {bits}");
            }
        }
    }

    [Test]
    public void Pruned_networks_put_the_wanted_ranks_in_place_for_up_to_128_wires()
    {
        var random = new DeterministicRandom(17);
        for (int n = 1; n <= 128; n++)
        {
            int first = random.NextInt(n);
            int last = first + random.NextInt(n - first);
            (int A, int B)[] network = SortingNetwork.For(n, first, last);
            Assert.That(network.Length, Is.LessThanOrEqualTo(SortingNetwork.For(n, 0, n - 1).Length));
            for (int trial = 0; trial < 20; trial++)
            {
                int[] wires = Enumerable.Range(0, n).Select(_ => random.NextInt(trial % 2 == 0 ? 4 : 1000)).ToArray();
                int[] sorted = wires.Order().ToArray();
                Apply(network, wires);
                Assert.That(wires[first..(last + 1)], Is.EqualTo(sorted[first..(last + 1)]), $"n = {n}, ranks {first}..{last}");
            }
        }
    }

    private static void Apply((int A, int B)[] network, int[] wires)
    {
        foreach ((int a, int b) in network)
        {
            (wires[a], wires[b]) = (Math.Min(wires[a], wires[b]), Math.Max(wires[a], wires[b]));
        }
    }
}
