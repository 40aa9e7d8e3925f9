using System.Diagnostics;
using System.Globalization;
using System.Text;
using FedLearn.Compression;
using FedLearn.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// The contenders of <see cref="HybridChainBenchmarks"/> timed by the CPU time the process spent (all its threads,
/// LibTorch limited to one), not by the wall clock: on a machine shared with many other jobs a process may get a
/// small share of a core, which stretches wall times many-fold but not CPU time. One warm-up, then the median of
/// five samples of at least about 100 ms of CPU each. GB/s is dense float32 input (compress) or output (decompress) per CPU second.
/// </summary>
internal static class CpuTimeReport
{
    private const int Repetitions = 5;

    public static string Build(int n)
    {
        TorchRuntime.SetThreadCount(1);
        float[] update = Vectors.Gaussian(n, 1);
        float[] destination = new float[n];
        using Tensor updateTensor = torch.tensor(update);
        using Tensor destinationTensor = torch.zeros(n);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"n = {n:N0}, median CPU time per call over {Repetitions} samples after one warm-up");
        text.AppendLine();
        text.AppendLine("| chain | contender | compress CPU ms | GB/s | vs TorchSharp | decompress CPU ms | GB/s | vs TorchSharp |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (string chainText in new[] { "ef,topk:0.1,q:8", "ef,topk:0.01,q:8,entropy" })
        {
            int k = chainText.Contains("0.01", StringComparison.Ordinal) ? n / 100 : n / 10;
            ICompressor chain = CompressionPipelineBuilder.Parse(chainText).Build();
            var tensorEncoder = new TensorCompressor(chain, TorchDevicePreference.Cpu);
            using var torchOps = new TorchOpsPipeline(n, k);
            float[] naiveResidual = new float[n];
            var context = new CompressionContext("bench", 1, 7, new ComponentState());
            var tensorContext = new CompressionContext("bench", 1, 7, new ComponentState());
            byte[] payload = chain.Compress(update, new CompressionContext("bench", 1, 7, new ComponentState())).Bytes.ToArray();
            byte[] naivePayload = NaiveCodec.TopKQuantize8(update, k);
            byte[] torchPayload = new TorchOpsPipeline(n, k).Compress(updateTensor);

            double torchCompress = Median(() => torchOps.Compress(updateTensor));
            double torchDecompress = Median(() => torchOps.Decompress(torchPayload, destinationTensor));
            var rows = new (string Name, double Compress, double? Decompress)[]
            {
                ("TorchSharp tensor ops (baseline)", torchCompress, torchDecompress),
                ("FedLearn span encoder", Median(() => chain.Compress(update, context)), Median(() => chain.Decompress(payload, destination))),
                ("FedLearn.Torch tensor encoder, CPU", Median(() => tensorEncoder.Compress(updateTensor, tensorContext)), null),
                ("naive (Array.Sort, scalar)", Median(() => NaiveCodec.ErrorFeedbackTopKQuantize8(update, naiveResidual, k)), Median(() => NaiveCodec.Decode(naivePayload, k, destination))),
            };
            foreach ((string name, double compress, double? decompress) in rows)
            {
                string decoded = decompress is double d ? $"{d:0.0} | {Rate(n, d)} | {d / torchDecompress:0.000}" : "– | – | –";
                text.AppendLine(CultureInfo.InvariantCulture, $"| `{chainText}` | {name} | {compress:0.0} | {Rate(n, compress)} | {compress / torchCompress:0.000} | {decoded} |");
            }
        }

        return text.ToString();
    }

    private static string Rate(int n, double milliseconds) => (4.0 * n / (milliseconds / 1e3) / 1e9).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Median CPU milliseconds per call of <paramref name="action"/>, as the report measures it.</summary>
    internal static double Median(Action action)
    {
        using var process = Process.GetCurrentProcess();

        // The warm-up call also sizes the measurement: each of the five samples repeats the call until it has used
        // about 100 ms of CPU, so the timer's resolution does not matter for sub-millisecond calls.
        int calls = Math.Max(1, (int)(100 / Math.Max(0.01, Measure(process, action, 1))));
        double[] times = new double[Repetitions];
        for (int i = 0; i < Repetitions; i++)
        {
            times[i] = Measure(process, action, calls);
        }

        Array.Sort(times);
        return times[Repetitions / 2];
    }

    private static double Measure(Process process, Action action, int calls)
    {
        process.Refresh();
        TimeSpan before = process.TotalProcessorTime;
        for (int j = 0; j < calls; j++)
        {
            action();
        }

        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds / calls;
    }
}
