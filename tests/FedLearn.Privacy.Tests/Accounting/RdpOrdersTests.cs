using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

public sealed class RdpOrdersTests
{
    [Test]
    public void The_default_list_is_opacus_default_alphas()
    {
        IReadOnlyList<double> orders = RdpOrders.Default;

        Assert.That(orders, Has.Count.EqualTo(151));
        Assert.That(orders[0], Is.EqualTo(1.1));
        Assert.That(orders[98], Is.EqualTo(10.9));
        Assert.That(orders[99], Is.EqualTo(12));
        Assert.That(orders[^1], Is.EqualTo(63));
        Assert.That(orders, Is.Ordered.Ascending);
        // 1 + x/10 for x = 10, 20, … must be exact integers so they take the integer formula.
        Assert.That(orders[9], Is.EqualTo(2.0));
        Assert.That(orders[89], Is.EqualTo(10.0));
    }
}
