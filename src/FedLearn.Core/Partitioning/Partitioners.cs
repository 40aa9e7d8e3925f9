using System.Globalization;

namespace FedLearn.Partitioning;

/// <summary>Builds partitioners from their command-line names.</summary>
public static class Partitioners
{
    private const string Usage =
        "Use iid, dirichlet:<alpha> (for example dirichlet:0.5), dirichlet:<alpha>:<min records per client>, shards:<k> (for example shards:2) or natural-id.";

    /// <summary>
    /// Parses <c>iid</c>, <c>dirichlet:&lt;alpha&gt;</c>, <c>dirichlet:&lt;alpha&gt;:&lt;min&gt;</c>,
    /// <c>shards:&lt;k&gt;</c> or <c>natural-id</c> (case-insensitive; numbers in invariant culture).
    /// The <see cref="IPartitioner.Name"/> of the result parses back to an equivalent partitioner.
    /// </summary>
    /// <param name="text">The partitioning as written on a command line.</param>
    /// <returns>A new partitioner.</returns>
    /// <exception cref="ArgumentException">The text is not one of the forms above or its number is out of range; the message quotes the text.</exception>
    public static IPartitioner Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        string[] parts = trimmed.Split(':');
        string kind = parts[0].ToLowerInvariant();
        try
        {
            switch (kind)
            {
                case IidPartitioner.PartitionerName when parts.Length == 1:
                    return new IidPartitioner();
                case NaturalIdPartitioner.PartitionerName when parts.Length == 1:
                    return new NaturalIdPartitioner();
                case DirichletPartitioner.NamePrefix when parts.Length is 2 or 3:
                    double alpha = ParseDouble(text, parts[1], "the concentration α");
                    int min = parts.Length == 3 ? ParseInt(text, parts[2], "the minimum records per client") : DirichletPartitioner.DefaultMinPartitionSize;
                    return new DirichletPartitioner(alpha, min);
                case ShardPartitioner.NamePrefix when parts.Length == 2:
                    return new ShardPartitioner(ParseInt(text, parts[1], "the shards per client"));
                default:
                    throw new ArgumentException($"Unknown partitioning '{text}'. {Usage}", nameof(text));
            }
        }
        catch (ArgumentOutOfRangeException ex)
        {
            string reason = ex.Message.Split(" (Parameter", 2)[0];
            throw new ArgumentException($"Invalid partitioning '{text}': {reason}", nameof(text), ex);
        }
    }

    private static double ParseDouble(string text, string number, string what) =>
        double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new ArgumentException($"Invalid partitioning '{text}': {what} '{number}' is not a number. {Usage}", nameof(text));

    private static int ParseInt(string text, string number, string what) =>
        int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"Invalid partitioning '{text}': {what} '{number}' is not a whole number. {Usage}", nameof(text));
}
