using System.CommandLine;
using System.Globalization;

namespace FedLearn.Samples.MembershipAudit;

/// <summary>The command line: every option, its default, and the checks that make a bad option a one-line error.</summary>
internal static class AuditCommand
{
    public static readonly string[] Models = ["cnn", "mlp"];

    public static readonly string[] Optimizers = ["adam", "sgd"];

    /// <summary>The fewest canaries the canary audit takes: enough that both the included and the held-out side have at least 2 (the ε bound's two halves need them) except with probability about 2e-5.</summary>
    public const int MinimumCanaries = 20;

    private static readonly Option<string> Model = new("--model") { Description = "Model: cnn (2 conv + 2 linear) or mlp.", DefaultValueFactory = _ => "cnn" };
    private static readonly Option<int> Members = new("--members") { Description = "Training examples of the target model (its members).", DefaultValueFactory = _ => 1000 };
    private static readonly Option<int?> NonMembers = new("--non-members") { Description = "Held-out examples the attack must tell apart from the members (default: as many as --members)." };
    private static readonly Option<int> Shadows = new("--shadows") { Description = "Shadow models (0 = loss-threshold attack only).", DefaultValueFactory = _ => 4 };
    private static readonly Option<int> Canaries = new("--canaries") { Description = $"Mislabelled canaries for the canary audit, each added to the target's training set with probability 1/2 (0 = off; else at least {MinimumCanaries}).", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> Epochs = new("--epochs") { Description = "Training epochs of the target and of every shadow.", DefaultValueFactory = _ => 40 };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 32 };
    private static readonly Option<double?> Lr = new("--lr") { Description = "Learning rate (default: 0.001 with adam, 0.02 with sgd)." };
    private static readonly Option<string> Optimizer = new("--optimizer") { Description = "adam | sgd (momentum 0.9).", DefaultValueFactory = _ => "adam" };
    private static readonly Option<string> Epsilon = new("--epsilon") { Description = "Comma-separated privacy levels to audit, e.g. 1,3,5,10,inf (inf = non-private).", DefaultValueFactory = _ => "inf" };
    private static readonly Option<double> DpClip = new("--dp-clip") { Description = "DP-SGD per-sample clipping norm C (finite --epsilon only; the expected batch is --batch-size).", DefaultValueFactory = _ => 1.0 };
    private static readonly Option<double> Delta = new("--delta") { Description = "δ of the privacy guarantee and of the empirical ε lower bound.", DefaultValueFactory = _ => 1e-5 };
    private static readonly Option<double> Confidence = new("--confidence") { Description = "Confidence of the empirical ε lower bound.", DefaultValueFactory = _ => 0.95 };
    private static readonly Option<ulong> Seed = new("--seed") { Description = "Run seed (data split, initial weights, shuffling).", DefaultValueFactory = _ => 42UL };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files (else $FEDLEARN_DATA, else /usr/share/datasets/fashion-mnist)." };
    private static readonly Option<string?> Output = new("--output") { Description = "Folder for one JSON report per ε (default: none)." };
    private static readonly Option<int> Threads = new("--threads") { Description = "LibTorch threads.", DefaultValueFactory = _ => Environment.ProcessorCount };

    public static RootCommand Create()
    {
        var root = new RootCommand("Membership-inference audit of a model trained on Fashion-MNIST: loss-threshold, shadow-model and (with --canaries) canary attacks, AUC, TPR at low FPR and the empirical ε lower bound.");
        foreach (Option option in new Option[] { Model, Members, NonMembers, Shadows, Canaries, Epochs, BatchSize, Lr, Optimizer, Epsilon, DpClip, Delta, Confidence, Seed, DataDir, Output, Threads })
        {
            root.Options.Add(option);
        }

        return root;
    }

    /// <summary>Reads and checks the options; throws <see cref="UsageException"/> naming the first bad one.</summary>
    public static AuditSettings Bind(ParseResult result)
    {
        string model = result.GetValue(Model)!.Trim().ToLowerInvariant();
        if (!Models.Contains(model))
        {
            throw new UsageException($"--model must be one of {string.Join(", ", Models)}, got '{model}'.");
        }

        string optimizer = result.GetValue(Optimizer)!.Trim().ToLowerInvariant();
        if (!Optimizers.Contains(optimizer))
        {
            throw new UsageException($"--optimizer must be one of {string.Join(", ", Optimizers)}, got '{optimizer}'.");
        }

        int members = AtLeast(result.GetValue(Members), 2, "--members");
        double lr = result.GetValue(Lr) ?? (optimizer == "adam" ? 0.001 : 0.02);
        if (!(lr > 0) || double.IsInfinity(lr))
        {
            throw new UsageException($"--lr must be a positive number, got {lr.ToString(CultureInfo.InvariantCulture)}.");
        }

        double delta = result.GetValue(Delta);
        if (!(delta > 0 && delta < 1))
        {
            throw new UsageException($"--delta must be in (0, 1), got {delta.ToString(CultureInfo.InvariantCulture)}.");
        }

        double confidence = result.GetValue(Confidence);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new UsageException($"--confidence must be in (0, 1), got {confidence.ToString(CultureInfo.InvariantCulture)}.");
        }

        double dpClip = result.GetValue(DpClip);
        if (!(dpClip > 0) || double.IsInfinity(dpClip))
        {
            throw new UsageException($"--dp-clip must be a positive number, got {dpClip.ToString(CultureInfo.InvariantCulture)}.");
        }

        int shadows = result.GetValue(Shadows);
        if (shadows < 0)
        {
            throw new UsageException($"--shadows must be 0 or more, got {shadows}.");
        }

        int canaries = result.GetValue(Canaries);
        if (canaries != 0 && canaries < MinimumCanaries)
        {
            throw new UsageException($"--canaries must be 0 (no canary audit) or at least {MinimumCanaries}, got {canaries}.");
        }

        return new AuditSettings
        {
            Model = model,
            Members = members,
            NonMembers = AtLeast(result.GetValue(NonMembers) ?? members, 2, "--non-members"),
            Shadows = shadows,
            Canaries = canaries,
            Epochs = AtLeast(result.GetValue(Epochs), 1, "--epochs"),
            BatchSize = AtLeast(result.GetValue(BatchSize), 1, "--batch-size"),
            Lr = lr,
            Optimizer = optimizer,
            DpClip = dpClip,
            Epsilons = ParseEpsilons(result.GetValue(Epsilon)!),
            Delta = delta,
            Confidence = confidence,
            Seed = result.GetValue(Seed),
            DataDir = result.GetValue(DataDir),
            Output = result.GetValue(Output),
            Threads = AtLeast(result.GetValue(Threads), 1, "--threads"),
        };
    }

    private static double[] ParseEpsilons(string text)
    {
        var values = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Equals("inf", StringComparison.OrdinalIgnoreCase) || part.Equals("infinity", StringComparison.OrdinalIgnoreCase) || part == "∞")
            {
                values.Add(double.PositiveInfinity);
            }
            else if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value))
            {
                values.Add(value);
            }
            else
            {
                throw new UsageException($"--epsilon takes positive numbers or inf separated by commas; '{part}' is neither.");
            }
        }

        return values.Count > 0 ? [.. values] : throw new UsageException("--epsilon is empty.");
    }

    private static int AtLeast(int value, int minimum, string name) =>
        value >= minimum ? value : throw new UsageException($"{name} must be at least {minimum}, got {value}.");
}
