using System.Globalization;
using System.Numerics.Tensors;
using FedLearn.Aggregation;
using FedLearn.Data;
using FedLearn.Robust.Attacks;
using FedLearn.Robust.Screening;
using FedLearn.Robust.Specs;
using FedLearn.Training;

namespace FedLearn.Samples.RobustnessReport;

/// <summary>
/// One federated run of softmax regression on Fashion-MNIST in which a fixed set of Byzantine clients attacks every
/// round: each client trains honestly, the attack replaces the Byzantine deltas, the screener flags, and FedAvg over
/// the unflagged deltas moves the global model. Counts every client-round as a true/false positive/negative.
/// </summary>
internal static class DetectionExperiment
{
    public static (DetectionCounts Counts, double Accuracy, double MedianHonestNorm) Run(ReportSettings settings, string partition, ByzantineSpec byzantine)
    {
        FederatedDataLoader data = FederatedDataLoader.GetOrCreate(new FederatedDataOptions
        {
            DataDirectory = settings.DataDirectory,
            Partition = partition,
            ClientCount = settings.Clients,
            Seed = settings.Seed,
        });
        string[] ids = Enumerable.Range(0, settings.Clients).Select(i => $"client{i:D3}").ToArray();
        var byzantineIds = ByzantineSelection.Choose(ids, byzantine.Fraction, settings.Seed).ToHashSet(StringComparer.Ordinal);
        var trainers = new SoftmaxRegressionTrainer[settings.Clients];
        for (int i = 0; i < settings.Clients; i++)
        {
            DatasetView train = data.GetClient(i).Train;
            trainers[i] = new SoftmaxRegressionTrainer(byzantine.PoisonsLabels && byzantineIds.Contains(ids[i]) ? LabelFlipAttack.Flip(train) : train);
        }

        ModelWeights global = SoftmaxRegressionTrainer.CreateInitialWeights(data.Train.FeatureCount, data.Train.ClassCount, settings.Seed);
        var options = new UpdateScreenerOptions { FlagByReputation = settings.Reputation, NormModel = settings.NormModel };
        var screener = new UpdateScreener(options, settings.Reputation ? new ClientReputation(new ClientReputationOptions { MaxFlags = settings.ReputationMaxFlags }) : null);
        var counts = new DetectionCounts();
        var honestNorms = new List<double>();
        for (int round = 1; round <= settings.Rounds; round++)
        {
            var updates = new WeightedUpdate[settings.Clients];
            for (int i = 0; i < settings.Clients; i++)
            {
                var config = new FitConfig
                {
                    Round = round,
                    LearningRate = settings.LearningRate,
                    Seed = Seeds.Derive(settings.Seed, ids[i], round),
                };
                LocalFitResult fit = trainers[i].FitAsync(global, config, CancellationToken.None).GetAwaiter().GetResult();
                float[] delta = new float[global.Length];
                TensorPrimitives.Subtract(fit.Weights.Values, global.Values, delta);
                updates[i] = new WeightedUpdate(ids[i], delta, data.GetClient(i).Train.Count);
                if (!byzantineIds.Contains(ids[i]))
                {
                    honestNorms.Add(TensorPrimitives.Norm(delta));
                }
            }

            IReadOnlyList<WeightedUpdate> sent = byzantine.Attack.Apply(new ByzantineRound(round, updates, byzantineIds, settings.Seed));
            IReadOnlyList<ClientFlag> flags = screener.Screen(round, sent);
            if (settings.Trace)
            {
                WriteTrace(round, sent, byzantineIds, flags);
            }

            var flagged = flags.Select(f => f.ClientId).ToHashSet(StringComparer.Ordinal);
            foreach (string id in ids)
            {
                bool isByzantine = byzantineIds.Contains(id);
                bool isFlagged = flagged.Contains(id);
                counts.TruePositives += isByzantine && isFlagged ? 1 : 0;
                counts.FalseNegatives += isByzantine && !isFlagged ? 1 : 0;
                counts.FalsePositives += !isByzantine && isFlagged ? 1 : 0;
                counts.TrueNegatives += !isByzantine && !isFlagged ? 1 : 0;
            }

            var excluded = flags.Where(f => f.Exclude).Select(f => f.ClientId).ToHashSet(StringComparer.Ordinal);
            WeightedUpdate[] kept = sent.Where(u => !excluded.Contains(u.ClientId)).ToArray();
            if (kept.Length > 0)
            {
                float[] step = new float[global.Length];
                FederatedAveraging.Average(kept, step);
                ModelWeights next = global.Clone();
                TensorPrimitives.Add(next.Values, step, next.Values);
                global = next;
            }
        }

        double accuracy = SoftmaxRegressionTrainer.Evaluate(global, data.CentralTest.All()).Accuracy;
        honestNorms.Sort();
        return (counts, accuracy, honestNorms[honestNorms.Count / 2]);
    }

    // One line per client and round, smallest reported count first: what the screener saw and why it flagged.
    private static void WriteTrace(int round, IReadOnlyList<WeightedUpdate> sent, HashSet<string> byzantineIds, IReadOnlyList<ClientFlag> flags)
    {
        foreach (WeightedUpdate update in sent.OrderBy(u => u.Weight).ThenBy(u => u.ClientId, StringComparer.Ordinal))
        {
            string reason = flags.FirstOrDefault(f => f.ClientId == update.ClientId)?.Reason ?? "-";
            string role = byzantineIds.Contains(update.ClientId) ? "byzantine" : "honest";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"trace round {round} {update.ClientId} {role} examples {update.Weight} norm {TensorPrimitives.Norm(update.Values.Span):F4} flag: {reason}"));
        }
    }
}
