using System.Runtime.InteropServices;
using FedLearn.Torch.Tests.TestData;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Training;

/// <summary>
/// Runs one trainer for 50 rounds (fit then evaluate, each round starting from the last round's weights) and checks
/// that nothing accumulates: the number of live TorchSharp tensors is the same after round 50 as after round 10
/// (counted before any forced collection, so finalizers cannot hide a leaked tensor), and the resident set size
/// (VmRSS) after a full garbage collection grows by less than 10 %. The collection returns the managed arrays of
/// earlier rounds' weights, which would otherwise sit in the large-object heap and blur the native figure.
/// The figures are printed; docs/results/torch-memory.md records them with the command that produced them.
/// </summary>
public sealed class TorchTrainerMemoryTests
{
    private const int Rounds = 50;

    [Test]
    public async Task Fifty_rounds_leave_live_tensors_and_resident_memory_flat()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Reads /proc/self/status, which only Linux has.");
        }

        var train = FashionMnistSamples.Train(640).All();
        var test = FashionMnistSamples.Test(256).All();
        using var trainer = TorchTrainer.Create("cnn", train, test);
        using var initialModel = new CnnModel(seed: 1);
        ModelWeights global = initialModel.GetWeights();

        // Building TorchSharp modules leaves a few wrapper tensors to the finalizer (nn.Conv2d's constructor and a
        // disposed nn.Linear do), and earlier tests in this process may have left some too. Finalize them now, so the
        // counts below hold only what the rounds keep alive; otherwise a collection between round 10 and round 50
        // would lower the later count by whatever it happened to finalize.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);

        var measured = new Dictionary<int, (long Tensors, long ResidentKilobytes, long ManagedKilobytes)>();
        EvaluationMetrics metrics = EvaluationMetrics.Empty;

        for (int round = 1; round <= Rounds; round++)
        {
            // Every other round with the FedProx term, so its per-round tensors are covered too.
            var config = new FitConfig { Round = round, LocalEpochs = 1, BatchSize = 32, LearningRate = 0.01, ProximalMu = round % 2 == 0 ? 0.01 : 0, Seed = (ulong)round };
            global = (await trainer.FitAsync(global, config, CancellationToken.None)).Weights;
            metrics = await trainer.EvaluateAsync(global, CancellationToken.None);
            if (round % 10 == 0)
            {
                measured[round] = Measure();
                TestContext.Out.WriteLine(
                    $"after round {round}: {measured[round].Tensors} live tensors, VmRSS {measured[round].ResidentKilobytes} kB, managed heap {measured[round].ManagedKilobytes} kB");
            }
        }

        (long tensorsAfter10, long rssAfter10, long managedAfter10) = measured[10];
        (long tensorsAfter50, long rssAfter50, long managedAfter50) = measured[Rounds];
        double growth = (double)(rssAfter50 - rssAfter10) / rssAfter10;
        TestContext.Out.WriteLine($"CNN, 640 training images, 256 test images, 1 epoch per round (FedProx μ = 0.01 in even rounds), {Rounds} rounds; final test accuracy {metrics.Accuracy:P1}");
        TestContext.Out.WriteLine($"live tensors after round 10: {tensorsAfter10}, after round {Rounds}: {tensorsAfter50}");
        TestContext.Out.WriteLine($"VmRSS after round 10: {rssAfter10} kB, after round {Rounds}: {rssAfter50} kB ({growth:+0.0%;-0.0%})");
        TestContext.Out.WriteLine($"managed heap committed after round 10: {managedAfter10} kB, after round {Rounds}: {managedAfter50} kB");
        TestContext.Out.WriteLine($"VmRSS minus managed heap after round 10: {rssAfter10 - managedAfter10} kB, after round {Rounds}: {rssAfter50 - managedAfter50} kB");

        Assert.That(tensorsAfter50, Is.EqualTo(tensorsAfter10), "every tensor a round creates is disposed in that round");
        Assert.That(rssAfter50, Is.LessThanOrEqualTo(rssAfter10 * 1.10), "resident memory stays within 10 % of round 10");
    }

    /// <summary>Live tensors (counted first), then VmRSS and the committed managed heap after a full compacting collection, in kB.</summary>
    private static (long Tensors, long ResidentKilobytes, long ManagedKilobytes) Measure()
    {
        long tensors = Tensor.TotalCount;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        // Hand freed heap pages back to the kernel, so VmRSS counts memory in use rather than what the allocator keeps
        // cached; a leak is memory still allocated, which trimming cannot release.
        _ = MallocTrim(0);
        return (tensors, ResidentKilobytes(), GC.GetGCMemoryInfo().TotalCommittedBytes / 1024);
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static long ResidentKilobytes()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("/proc/self/status has no VmRSS line.");
    }
}
