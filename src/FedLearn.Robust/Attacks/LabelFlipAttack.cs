using FedLearn.Data;

namespace FedLearn.Robust.Attacks;

/// <summary>
/// Label flipping, a data-poisoning attack: Byzantine clients train on labels y → C − 1 − y (use <see cref="Flip"/>
/// on their training view) and send what that training produced, so <see cref="Craft"/> passes their updates on
/// unchanged. Stateless.
/// </summary>
public sealed class LabelFlipAttack : IByzantineAttack
{
    /// <inheritdoc />
    /// <value><c>labelflip</c>.</value>
    public string Name => "labelflip";

    /// <inheritdoc />
    /// <returns>The Byzantine clients' updates as they are: the poisoning happened in training.</returns>
    public IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        return round.Byzantine.ToArray();
    }

    /// <summary>
    /// A view of the same records as <paramref name="view"/> whose labels are flipped to C − 1 − y. The features are
    /// shared with the original dataset; the labels are copied, so the original is unchanged.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is null.</exception>
    public static DatasetView Flip(DatasetView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        LabeledDataset source = view.Dataset;
        int[] labels = (int[])source.Labels.Clone();
        foreach (int index in view.Indices)
        {
            labels[index] = source.ClassCount - 1 - source.Labels[index];
        }

        var flipped = new LabeledDataset(source.Features, labels, source.FeatureCount, source.ClassCount, source.RecordShape);
        return new DatasetView(flipped, view.Indices.ToArray());
    }
}
