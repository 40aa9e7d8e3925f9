using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FedLearn.Checkpointing;

/// <summary>
/// The server's state after a round, on disk: <c>weights.safetensors</c> (the global model, readable by PyTorch),
/// <c>optimizer.safetensors</c> (the server optimizer's buffers) and <c>checkpoint.json</c> (round, seed, names).
/// Client sampling and client seeds derive from (seed, round), so this is the whole random state of the loop.
/// Files are replaced atomically; <c>checkpoint.json</c> is written last and names the round the other files hold.
/// </summary>
public sealed record ServerCheckpoint
{
    /// <summary>File name of the global weights.</summary>
    public const string WeightsFile = "weights.safetensors";

    /// <summary>File name of the optimizer state.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>File name of the manifest.</summary>
    public const string ManifestFile = "checkpoint.json";

    private const int FormatVersion = 1;
    private const string RoundKey = "fedlearn.round";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The last completed round.</summary>
    public required int Round { get; init; }

    /// <summary>The run seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The global weights after <see cref="Round"/>.</summary>
    public required ModelWeights Weights { get; init; }

    /// <summary>The server optimizer's name.</summary>
    public required string OptimizerName { get; init; }

    /// <summary>The server optimizer's state.</summary>
    public required IReadOnlyDictionary<string, float[]> OptimizerState { get; init; }

    /// <summary>True when <paramref name="directory"/> holds a checkpoint manifest.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ManifestFile));

    /// <summary>Writes the checkpoint into <paramref name="directory"/>, creating it if needed.</summary>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var roundMetadata = new Dictionary<string, string> { [RoundKey] = Round.ToString(CultureInfo.InvariantCulture) };
        SafeTensors.WriteFile(Weights, Path.Combine(directory, WeightsFile), roundMetadata);

        var stateTensors = OptimizerState.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var state = ModelWeights.FromBuffer(
            stateTensors.Select(p => (p.Key, new[] { p.Value.Length })),
            stateTensors.SelectMany(p => p.Value).ToArray());
        SafeTensors.WriteFile(state, Path.Combine(directory, OptimizerFile), roundMetadata);

        var manifest = new Manifest(FormatVersion, Round, Seed.ToString(CultureInfo.InvariantCulture), OptimizerName, Weights.Length, DateTimeOffset.UtcNow);
        string manifestPath = Path.Combine(directory, ManifestFile);
        File.WriteAllText(manifestPath + ".tmp", JsonSerializer.Serialize(manifest, JsonOptions));
        File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
    }

    /// <summary>Reads the checkpoint in <paramref name="directory"/>.</summary>
    /// <exception cref="FedLearnFormatException">The files are missing, corrupt or from different rounds.</exception>
    public static ServerCheckpoint Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw new FedLearnFormatException($"No checkpoint in '{directory}': {ManifestFile} is missing.");
        }

        Manifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), JsonOptions)
                ?? throw new FedLearnFormatException($"{manifestPath} is empty.");
        }
        catch (JsonException exception)
        {
            throw new FedLearnFormatException($"{manifestPath} is not a valid checkpoint manifest: {exception.Message}", exception);
        }

        if (manifest.FormatVersion != FormatVersion)
        {
            throw new FedLearnFormatException($"{manifestPath} has format version {manifest.FormatVersion}; this version reads {FormatVersion}.");
        }

        ModelWeights weights = ReadRoundFile(Path.Combine(directory, WeightsFile), manifest.Round);
        if (weights.Length != manifest.Parameters)
        {
            throw new FedLearnFormatException($"{WeightsFile} holds {weights.Length} parameters but {ManifestFile} says {manifest.Parameters}.");
        }

        ModelWeights state = ReadRoundFile(Path.Combine(directory, OptimizerFile), manifest.Round);
        var optimizerState = state.Tensors.ToDictionary(t => t.Name, t => state.GetTensor(t.Name).ToArray(), StringComparer.Ordinal);
        if (!ulong.TryParse(manifest.Seed, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
        {
            throw new FedLearnFormatException($"{manifestPath} has an invalid seed '{manifest.Seed}'.");
        }

        return new ServerCheckpoint
        {
            Round = manifest.Round,
            Seed = seed,
            Weights = weights,
            OptimizerName = manifest.Optimizer,
            OptimizerState = optimizerState,
        };
    }

    private static ModelWeights ReadRoundFile(string path, int round)
    {
        if (!File.Exists(path))
        {
            throw new FedLearnFormatException($"Checkpoint file '{path}' is missing.");
        }

        ModelWeights weights = SafeTensors.ReadFile(path, out IReadOnlyDictionary<string, string> metadata);
        if (!metadata.TryGetValue(RoundKey, out string? text) || text != round.ToString(CultureInfo.InvariantCulture))
        {
            throw new FedLearnFormatException($"'{path}' belongs to round {text ?? "unknown"} but the manifest names round {round} (an interrupted save?).");
        }

        return weights;
    }

    private sealed record Manifest(int FormatVersion, int Round, string Seed, string Optimizer, int Parameters, DateTimeOffset SavedAt);
}
