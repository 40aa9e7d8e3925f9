namespace FedLearn.Privacy.Accounting;

/// <summary>The Rényi orders α at which accountants evaluate RDP unless told otherwise.</summary>
public static class RdpOrders
{
    /// <summary>
    /// 1.1, 1.2, …, 10.9 (99 fractional and integer orders) then 12, 13, …, 63 (52 integer orders): 151 orders, the
    /// default of Opacus's RDP accountant, so that ε figures are comparable with that library.
    /// </summary>
    public static IReadOnlyList<double> Default { get; } = CreateDefault();

    private static double[] CreateDefault()
    {
        var orders = new double[99 + 52];
        for (int x = 1; x <= 99; x++)
        {
            // 1 + x/10 rather than accumulating 0.1, so that 2.0, 3.0, … are exact integers and take the integer formula.
            orders[x - 1] = 1 + (x / 10.0);
        }

        for (int a = 12; a <= 63; a++)
        {
            orders[99 + a - 12] = a;
        }

        return orders;
    }
}
