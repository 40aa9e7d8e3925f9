using System.Numerics.Tensors;

namespace FedLearn.Robust.Attacks;

/// <summary>
/// Mimic: every Byzantine client sends a copy of one honest client's update, the one farthest from the honest mean
/// (ties to the smaller client id), which over-weights that client's data and amplifies heterogeneity.
/// Omniscient; stateless.
/// </summary>
/// <remarks>Karimireddy, He and Jaggi 2022, "Byzantine-Robust Learning on Heterogeneous Datasets via Bucketing" (mimic attack).</remarks>
public sealed class MimicAttack : IByzantineAttack
{
    /// <inheritdoc />
    /// <value><c>mimic</c>.</value>
    public string Name => "mimic";

    /// <inheritdoc />
    public IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (round.ByzantineCount == 0)
        {
            return [];
        }

        IReadOnlyList<WeightedUpdate> honest = round.Reference;
        double[] mean = HonestStatistics.Mean(honest, round.Length);
        float[] meanSingle = mean.Select(v => (float)v).ToArray();
        WeightedUpdate target = honest[0];
        double farthest = -1;
        foreach (WeightedUpdate update in honest)
        {
            double distance = meanSingle.Length == 0 ? 0 : TensorPrimitives.Distance(update.Values.Span, meanSingle);
            if (distance > farthest)
            {
                farthest = distance;
                target = update;
            }
        }

        float[] copy = target.Values.ToArray();
        return round.Byzantine.Select(u => u with { Values = (float[])copy.Clone() }).ToArray();
    }
}
