using System.Globalization;
using System.Text;
using FedLearn.Aggregation;
using FedLearn.Compression;
using FedLearn.Compression.Pipeline;
using FedLearn.Data;
using FedLearn.Torch;
using TorchSharp;

namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// The compression-ratio table on real model updates instead of synthetic vectors: dense FedAvg of the CNN over
/// Fashion-MNIST (10 IID clients, SGD with momentum 0.9, learning rate 0.02, one local epoch, batch 32, seed 42, the
/// setting of the accuracy runs in docs/results/compression.md), and each chain applied to the first client's update
/// (global weights after local training minus global weights before it) in the first and the last round. Chains
/// with error feedback compress that client's update every round with one state, so their last-round payload carries
/// the residual that rounds of real updates leave behind; the global model follows the dense average, so the
/// residual is the one a client builds up while the rest of the federation is dense.
/// </summary>
internal static class DeltaReport
{
    private static readonly string[] Chains =
    [
        "q:8", "sign", "topk:0.1,q:8", "topk:0.1,q:8,entropy", "topk:0.01,q:8", "topk:0.01,q:8,entropy",
        "topk:0.02,q:2,entropy", "topk:0.001,q:8,entropy",
    ];

    private static readonly string[] FeedbackChains = ["ef,topk:0.1,q:8", "ef,topk:0.01,q:8,entropy", "ef,topk:0.02,q:2,entropy"];

    private const int Clients = 10;
    private const ulong Seed = 42;
    private const double LearningRate = 0.02;
    private const double Momentum = 0.9;

    public static async Task<string> BuildAsync(int rounds, string? dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        FederatedDataLoader data = FederatedDataLoader.GetOrCreate(new FederatedDataOptions
        {
            DataDirectory = dataDirectory,
            Partition = "iid",
            ClientCount = Clients,
            Seed = Seed,
        });
        var options = new TorchTrainerOptions { Optimizer = TorchOptimizerKind.Sgd, Momentum = Momentum };
        ModelWeights global;
        using (torch.nn.Module<torch.Tensor, torch.Tensor> model = TorchModels.Create("cnn", Seed))
        {
            global = model.GetWeights();
        }

        var trainers = new ILocalTrainer[Clients];
        for (int i = 0; i < Clients; i++)
        {
            ClientData client = data.GetClient(i);
            trainers[i] = TorchTrainer.Create("cnn", client.Train, client.Test, options);
        }

        var feedback = FeedbackChains.Select(chain => (Chain: chain, Compressor: CompressionPipelineBuilder.Parse(chain).Build(), State: new ComponentState())).ToArray();
        var feedbackRows = new string[FeedbackChains.Length];
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"CNN ({global.Length:N0} parameters), {Clients} IID clients, SGD momentum {Momentum}, lr {LearningRate}, 1 local epoch, batch 32, seed {Seed}; update of client-0.");
        text.AppendLine();
        var aggregator = new FederatedAveraging();
        for (int round = 1; round <= rounds; round++)
        {
            var updates = new WeightedUpdate[Clients];
            float[] firstClientUpdate = [];
            for (int i = 0; i < Clients; i++)
            {
                string clientId = string.Create(CultureInfo.InvariantCulture, $"client-{i}");
                var config = new FitConfig { Round = round, LearningRate = LearningRate, Seed = Seeds.Derive(Seed, clientId, round) };
                LocalFitResult fit = await trainers[i].FitAsync(global, config, cancellationToken).ConfigureAwait(false);
                float[] delta = new float[global.Length];
                System.Numerics.Tensors.TensorPrimitives.Subtract(fit.Weights.Values, global.Values, delta);
                updates[i] = new WeightedUpdate(clientId, delta, fit.Metrics.ExampleCount);
                if (i == 0)
                {
                    firstClientUpdate = delta;
                }
            }

            for (int c = 0; c < feedback.Length; c++)
            {
                byte[] bytes = feedback[c].Compressor.Compress(firstClientUpdate, new CompressionContext("client-0", round, Seed, feedback[c].State)).Bytes.ToArray();
                feedbackRows[c] = RatioReport.Row(feedback[c].Chain, feedback[c].Compressor, bytes, global.Length, reference: null);
            }

            if (round == 1 || round == rounds)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"### Round {round}: client-0's update, L2 norm {System.Numerics.Tensors.TensorPrimitives.Norm(firstClientUpdate):0.0000}");
                text.AppendLine();
                text.AppendLine(RatioReport.TableHeader);
                foreach (string chain in Chains)
                {
                    ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
                    byte[] bytes = compressor.Compress(firstClientUpdate, new CompressionContext("client-0", round, Seed, new ComponentState())).Bytes.ToArray();
                    text.AppendLine(RatioReport.Row(chain, compressor, bytes, global.Length, firstClientUpdate));
                }

                foreach (string row in feedbackRows)
                {
                    text.AppendLine(row);
                }

                text.AppendLine();
            }

            float[] average = new float[global.Length];
            aggregator.Aggregate(updates, average);
            float[] next = (float[])global.Values.Clone();
            System.Numerics.Tensors.TensorPrimitives.Add(next, average, next);
            global = global.WithValues(next);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} of {rounds} done"));
        }

        return text.ToString();
    }
}
