using System.Text;

namespace FedLearn.Data;

/// <summary>
/// Loads Fashion-MNIST (Xiao, Rasul and Vollgraf 2017: 70,000 grey 28×28 images of 10 clothing classes) from its
/// four IDX files, gzip-compressed or not. Nothing is downloaded: the files must already be on disk.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// The folder is found in this order: the <c>dataDirectory</c> argument when given (then it is the only place looked
/// in, so a mistyped <c>--data-dir</c> never silently falls back to another copy); otherwise the folder named by the
/// <c>FEDLEARN_DATA</c> environment variable when set, then <see cref="DefaultDataDirectory"/> (where Debian's
/// <c>dataset-fashion-mnist</c> package installs the files). In each folder the uncompressed name is tried before the
/// <c>.gz</c> name.
/// </remarks>
public static class FashionMnist
{
    /// <summary>The environment variable that names the data folder when no folder is given.</summary>
    public const string DataDirectoryVariable = "FEDLEARN_DATA";

    /// <summary>The folder looked in last: where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultDataDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Image height and width in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads one split: features are pixel / 255 in [0, 1], 784 per image, record shape [1, 28, 28], 10 classes.</summary>
    /// <param name="dataDirectory">The folder holding the files, or <see langword="null"/> to search the usual places.</param>
    /// <param name="split">The training or the test split.</param>
    /// <returns>A new dataset the caller owns.</returns>
    /// <exception cref="DatasetNotFoundException">The files are in none of the places searched; the message lists them and says how to get the data.</exception>
    /// <exception cref="FedLearnFormatException">A file is not a valid Fashion-MNIST file.</exception>
    public static LabeledDataset Load(string? dataDirectory, FashionMnistSplit split)
    {
        (string images, string labels) = LocateFiles(dataDirectory, split);
        return ReadFiles(images, labels);
    }

    /// <summary>Loads the training split (<paramref name="train"/> true) or the test split.</summary>
    /// <inheritdoc cref="Load(string?, FashionMnistSplit)"/>
    public static LabeledDataset Load(string? dataDirectory, bool train) =>
        Load(dataDirectory, train ? FashionMnistSplit.Train : FashionMnistSplit.Test);

    /// <summary>Finds the images and labels files of one split without reading them.</summary>
    /// <param name="dataDirectory">The folder holding the files, or <see langword="null"/> to search the usual places.</param>
    /// <param name="split">The training or the test split.</param>
    /// <returns>The full paths of the images file and the labels file, both in the same folder.</returns>
    /// <exception cref="DatasetNotFoundException">The files are in none of the places searched.</exception>
    public static (string ImagesPath, string LabelsPath) LocateFiles(string? dataDirectory, FashionMnistSplit split)
    {
        string prefix = split == FashionMnistSplit.Train ? "train" : "t10k";
        string imagesName = prefix + "-images-idx3-ubyte";
        string labelsName = prefix + "-labels-idx1-ubyte";
        List<(string Folder, string Origin)> candidates = [];
        if (dataDirectory is not null)
        {
            candidates.Add((dataDirectory, "the given data directory"));
        }
        else
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable(DataDirectoryVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                candidates.Add((fromEnvironment, DataDirectoryVariable));
            }

            candidates.Add((DefaultDataDirectory, "the default folder"));
        }

        foreach ((string folder, _) in candidates)
        {
            string? images = FindFile(folder, imagesName);
            string? labels = FindFile(folder, labelsName);
            if (images is not null && labels is not null)
            {
                return (images, labels);
            }
        }

        throw new DatasetNotFoundException(NotFoundMessage(split, imagesName, labelsName, candidates, dataDirectory is null), candidates.Select(c => Path.GetFullPath(c.Folder)).ToArray());
    }

    /// <summary>Reads one split's images and labels files and checks that they hold 28×28 images.</summary>
    internal static LabeledDataset ReadFiles(string imagesPath, string labelsPath)
    {
        LabeledDataset dataset = IdxReader.ReadLabeledImages(imagesPath, labelsPath, ClassCount);
        return dataset.RecordShape[1] == ImageSize && dataset.RecordShape[2] == ImageSize
            ? dataset
            : throw new FedLearnFormatException(
                $"'{imagesPath}' holds images of {dataset.RecordShape[1]}×{dataset.RecordShape[2]} pixels; Fashion-MNIST images are {ImageSize}×{ImageSize}.");
    }

    private static string? FindFile(string folder, string name)
    {
        foreach (string candidate in (string[])[name, name + ".gz"])
        {
            string path = Path.GetFullPath(Path.Combine(folder, candidate));
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static string NotFoundMessage(FashionMnistSplit split, string imagesName, string labelsName, List<(string Folder, string Origin)> candidates, bool searchedDefaults)
    {
        var message = new StringBuilder();
        message.Append($"Fashion-MNIST {(split == FashionMnistSplit.Train ? "training" : "test")} data not found: looked for {imagesName}[.gz] and {labelsName}[.gz] in ");
        message.AppendJoin("; ", candidates.Select(c => $"{Path.GetFullPath(c.Folder)} ({c.Origin}{Describe(c.Folder, imagesName, labelsName)})"));
        message.Append('.');
        if (searchedDefaults && candidates.Count == 1)
        {
            message.Append($" {DataDirectoryVariable} is not set.");
        }

        message.Append(" To get the data: on Debian or Ubuntu run 'apt-get install dataset-fashion-mnist' (installs into ")
            .Append(DefaultDataDirectory)
            .Append("); elsewhere put the four files of the official Fashion-MNIST release (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, ")
            .Append("t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into a folder and pass it with --data-dir or set ")
            .Append(DataDirectoryVariable)
            .Append(" to it.");
        return message.ToString();
    }

    private static string Describe(string folder, string imagesName, string labelsName)
    {
        if (!Directory.Exists(folder))
        {
            return ": no such folder";
        }

        bool hasImages = FindFile(folder, imagesName) is not null;
        bool hasLabels = FindFile(folder, labelsName) is not null;
        return (hasImages, hasLabels) switch
        {
            (true, false) => ": labels file missing",
            (false, true) => ": images file missing",
            _ => ": files missing",
        };
    }
}
