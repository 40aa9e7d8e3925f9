using FedLearn.Partitioning;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Partitioning;

public sealed class PartitionersTests
{
    [TestCase("iid", typeof(IidPartitioner), "iid")]
    [TestCase(" IID ", typeof(IidPartitioner), "iid")]
    [TestCase("natural-id", typeof(NaturalIdPartitioner), "natural-id")]
    [TestCase("dirichlet:0.5", typeof(DirichletPartitioner), "dirichlet:0.5")]
    [TestCase("Dirichlet:1e-1", typeof(DirichletPartitioner), "dirichlet:0.1")]
    [TestCase("dirichlet:0.3:10", typeof(DirichletPartitioner), "dirichlet:0.3:10")]
    [TestCase("shards:2", typeof(ShardPartitioner), "shards:2")]
    public void Parses_each_form(string text, Type expectedType, string expectedName)
    {
        IPartitioner partitioner = Partitioners.Parse(text);

        Assert.That(partitioner, Is.TypeOf(expectedType));
        Assert.That(partitioner.Name, Is.EqualTo(expectedName));
        Assert.That(Partitioners.Parse(partitioner.Name).Name, Is.EqualTo(expectedName));
    }

    [Test]
    public void Reads_the_parameters()
    {
        var dirichlet = (DirichletPartitioner)Partitioners.Parse("dirichlet:0.25:7");
        var shards = (ShardPartitioner)Partitioners.Parse("shards:3");

        Assert.That(dirichlet.Alpha, Is.EqualTo(0.25));
        Assert.That(dirichlet.MinPartitionSize, Is.EqualTo(7));
        Assert.That(shards.ShardsPerClient, Is.EqualTo(3));
    }

    [TestCase("random", "Unknown partitioning 'random'. Use iid")]
    [TestCase("", "Unknown partitioning ''. Use iid")]
    [TestCase("iid:3", "Unknown partitioning 'iid:3'. Use iid")]
    [TestCase("shards", "Unknown partitioning 'shards'. Use iid")]
    [TestCase("dirichlet:abc", "Invalid partitioning 'dirichlet:abc': the concentration α 'abc' is not a number.")]
    [TestCase("shards:two", "Invalid partitioning 'shards:two': the shards per client 'two' is not a whole number.")]
    [TestCase("dirichlet:-1", "Invalid partitioning 'dirichlet:-1': The Dirichlet concentration α must be positive and finite.")]
    [TestCase("dirichlet:0.5:0", "Invalid partitioning 'dirichlet:0.5:0': The minimum partition size must be at least 1.")]
    [TestCase("shards:0", "Invalid partitioning 'shards:0': Each client needs at least 1 shard.")]
    public void Rejects_bad_text_naming_it(string text, string expectedStart)
    {
        var ex = Assert.Throws<ArgumentException>(() => Partitioners.Parse(text));

        Assert.That(ex.Message, Does.StartWith(expectedStart));
    }
}
