namespace FedLearn;

/// <summary>
/// One named tensor inside a <see cref="ModelWeights"/> buffer: its name, shape and where its values start.
/// </summary>
/// <param name="Name">The tensor's name, unique within the model (for example <c>fc1.weight</c>).</param>
/// <param name="Shape">The tensor's dimensions; an empty shape is a scalar with one element.</param>
/// <param name="Offset">Index of the tensor's first element in the model's flat buffer.</param>
public sealed record TensorInfo(string Name, IReadOnlyList<int> Shape, int Offset)
{
    /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public int ElementCount => ElementCountOf(Shape);

    /// <summary>The shape as text, for example <c>[10, 784]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <summary>Computes the element count of a shape, checking every dimension and overflow.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the count exceeds <see cref="int.MaxValue"/>.</exception>
    public static int ElementCountOf(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has a negative dimension.", nameof(shape));
            }

            count *= dimension;
            if (count > int.MaxValue)
            {
                throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has more than {int.MaxValue} elements.", nameof(shape));
            }
        }

        return (int)count;
    }

    /// <summary>True when both describe the same name and shape (offsets may differ).</summary>
    public bool SameLayoutAs(TensorInfo other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Name == other.Name && Shape.SequenceEqual(other.Shape);
    }
}
