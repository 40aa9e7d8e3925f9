namespace FedLearn.Data;

/// <summary>
/// The content of one IDX file: its dimensions, its element type and its elements as raw bytes in row-major order
/// (for an images file: image, then row, then column). Returned by <see cref="IdxReader"/>; immutable by convention.
/// </summary>
public sealed class IdxArray
{
    /// <summary>Wraps a decoded IDX file; the instance owns <paramref name="data"/> from now on.</summary>
    /// <param name="dimensions">The sizes from the header, outermost first (for example [60000, 28, 28]).</param>
    /// <param name="elementType">The element type from the header.</param>
    /// <param name="data">The elements; exactly the product of <paramref name="dimensions"/> bytes.</param>
    /// <exception cref="ArgumentException">The dimensions are empty or negative, or do not match the data length.</exception>
    public IdxArray(IReadOnlyList<int> dimensions, IdxElementType elementType, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Count == 0)
        {
            throw new ArgumentException("An IDX array has at least one dimension.", nameof(dimensions));
        }

        long product = 1;
        foreach (int dimension in dimensions)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Dimensions [{string.Join(", ", dimensions)}] include a negative size.", nameof(dimensions));
            }

            product *= dimension;
            if (product > data.Length)
            {
                break;
            }
        }

        if (product != data.Length)
        {
            throw new ArgumentException($"Dimensions [{string.Join(", ", dimensions)}] do not describe {data.Length} bytes.", nameof(data));
        }

        Dimensions = dimensions.ToArray();
        ElementType = elementType;
        Data = data;
    }

    /// <summary>The sizes from the header, outermost first.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The element type from the header.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The elements in row-major order, one byte each. Do not modify.</summary>
    public byte[] Data { get; }

    /// <summary>The number of items: the outermost dimension (images in an images file, labels in a labels file).</summary>
    public int Count => Dimensions[0];

    /// <summary>The dimensions as text, for example <c>[60000, 28, 28]</c>.</summary>
    public string DimensionsText => "[" + string.Join(", ", Dimensions) + "]";
}
