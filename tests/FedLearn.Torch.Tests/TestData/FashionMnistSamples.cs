using System.Collections.Concurrent;
using FedLearn.Data;

namespace FedLearn.Torch.Tests.TestData;

/// <summary>The first records of the installed Fashion-MNIST training or test set, read with Core's loader.</summary>
internal static class FashionMnistSamples
{
    private static readonly ConcurrentDictionary<(bool Train, int Count), LabeledDataset> Cache = new();

    public static LabeledDataset Train(int count) => Cache.GetOrAdd((true, count), key => First(FashionMnist.Load(null, FashionMnistSplit.Train), key.Count));

    public static LabeledDataset Test(int count) => Cache.GetOrAdd((false, count), key => First(FashionMnist.Load(null, FashionMnistSplit.Test), key.Count));

    private static LabeledDataset First(LabeledDataset all, int count)
    {
        count = Math.Min(count, all.Count);
        return new LabeledDataset(
            all.Features.AsSpan(0, count * all.FeatureCount).ToArray(),
            all.Labels.AsSpan(0, count).ToArray(),
            all.FeatureCount,
            all.ClassCount,
            all.RecordShape);
    }
}
