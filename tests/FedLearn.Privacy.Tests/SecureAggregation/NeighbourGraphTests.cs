using FedLearn.Privacy.SecureAggregation;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.SecureAggregation;

public sealed class NeighbourGraphTests
{
    [FsCheck.NUnit.Property(MaxTest = 50)]
    public bool The_graph_is_regular_and_symmetric(byte verticesSeed, byte degreeSeed)
    {
        int n = 2 + (verticesSeed % 60);
        int maxEven = (n - 2) / 2 * 2;
        int degree = degreeSeed % 4 == 0 ? n - 1 : 2 * (degreeSeed % ((maxEven / 2) + 1));
        NeighbourGraph graph = NeighbourGraph.CreateRandom(n, degree);

        return Enumerable.Range(0, n).All(v =>
            graph.NeighboursOf(v).Count == degree &&
            graph.NeighboursOf(v).Distinct().Count() == degree &&
            !graph.NeighboursOf(v).Contains(v) &&
            graph.NeighboursOf(v).All(u => graph.AreNeighbours(u, v)));
    }

    [Test]
    public void An_odd_degree_below_n_minus_one_is_refused()
    {
        Assert.That(() => NeighbourGraph.CreateRandom(10, 3), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("even degree"));
    }
}
