using System.Numerics.Tensors;

namespace FedLearn;

/// <summary>
/// The weights of a model: an ordered list of named tensors laid out back to back over one contiguous
/// <see cref="float"/> buffer. Every math routine in FedLearn works on the flat buffer (<see cref="AsSpan"/>);
/// the names and shapes keep the mapping to the framework model and to the safetensors file format.
/// </summary>
/// <remarks>
/// The instance owns its buffer. It is not thread-safe for writes; concurrent reads are safe.
/// A model with no tensors is valid and has <see cref="Length"/> 0.
/// </remarks>
public sealed class ModelWeights
{
    private readonly TensorInfo[] _tensors;
    private readonly Dictionary<string, int> _byName;

    /// <summary>Creates zero-initialised weights for the given tensors, in the given order.</summary>
    /// <param name="tensors">Name and shape of each tensor; names must be unique.</param>
    public ModelWeights(IEnumerable<(string Name, int[] Shape)> tensors)
        : this(Layout(tensors), values: null)
    {
    }

    private ModelWeights(TensorInfo[] tensors, float[]? values)
    {
        _tensors = tensors;
        _byName = new Dictionary<string, int>(tensors.Length, StringComparer.Ordinal);
        for (int i = 0; i < tensors.Length; i++)
        {
            _byName.Add(tensors[i].Name, i);
        }

        int length = tensors.Length == 0 ? 0 : tensors[^1].Offset + tensors[^1].ElementCount;
        if (values is not null && values.Length != length)
        {
            throw new ArgumentException($"The buffer has {values.Length} values but the tensors need {length}.", nameof(values));
        }

        Values = values ?? new float[length];
    }

    /// <summary>The tensors in order, each with its offset into <see cref="Values"/>.</summary>
    public IReadOnlyList<TensorInfo> Tensors => _tensors;

    /// <summary>The flat buffer holding every tensor's values back to back.</summary>
    public float[] Values { get; }

    /// <summary>Total number of parameters.</summary>
    public int Length => Values.Length;

    /// <summary>The flat buffer as a span.</summary>
    public Span<float> AsSpan() => Values;

    /// <summary>The values of one tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public Span<float> GetTensor(string name)
    {
        TensorInfo info = GetInfo(name);
        return Values.AsSpan(info.Offset, info.ElementCount);
    }

    /// <summary>The description of one tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public TensorInfo GetInfo(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_byName.TryGetValue(name, out int index))
        {
            throw new KeyNotFoundException($"The model has no tensor named '{name}'. It has: {string.Join(", ", _tensors.Select(t => t.Name))}.");
        }

        return _tensors[index];
    }

    /// <summary>True when the model has a tensor with that name.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Creates weights over an existing buffer, which the new instance then owns.</summary>
    /// <exception cref="ArgumentException">The buffer length does not match the tensors.</exception>
    public static ModelWeights FromBuffer(IEnumerable<(string Name, int[] Shape)> tensors, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new ModelWeights(Layout(tensors), values);
    }

    /// <summary>A deep copy: same layout, a new buffer.</summary>
    public ModelWeights Clone() => new(_tensors, (float[])Values.Clone());

    /// <summary>New zero weights with the same layout.</summary>
    public ModelWeights ZerosLike() => new(_tensors, values: null);

    /// <summary>Weights with the same layout over the given buffer (which the new instance owns).</summary>
    /// <exception cref="ArgumentException">The buffer length differs from <see cref="Length"/>.</exception>
    public ModelWeights WithValues(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new ModelWeights(_tensors, values);
    }

    /// <summary>True when <paramref name="other"/> has the same tensor names and shapes in the same order.</summary>
    public bool HasSameLayout(ModelWeights other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._tensors.Length != _tensors.Length)
        {
            return false;
        }

        for (int i = 0; i < _tensors.Length; i++)
        {
            if (!_tensors[i].SameLayoutAs(other._tensors[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws a clear error when <paramref name="other"/> has another layout.</summary>
    /// <exception cref="ArgumentException">The layouts differ; the message names the first difference.</exception>
    public void EnsureSameLayout(ModelWeights other, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._tensors.Length != _tensors.Length)
        {
            throw new ArgumentException($"Expected {_tensors.Length} tensors but got {other._tensors.Length}.", parameterName);
        }

        for (int i = 0; i < _tensors.Length; i++)
        {
            if (!_tensors[i].SameLayoutAs(other._tensors[i]))
            {
                throw new ArgumentException(
                    $"Tensor {i} differs: expected '{_tensors[i].Name}' {_tensors[i].ShapeText} but got '{other._tensors[i].Name}' {other._tensors[i].ShapeText}.",
                    parameterName);
            }
        }
    }

    /// <summary>The L2 norm of all parameters.</summary>
    public float L2Norm() => TensorPrimitives.Norm(Values);

    private static TensorInfo[] Layout(IEnumerable<(string Name, int[] Shape)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var result = new List<TensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        foreach ((string name, int[] shape) in tensors)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A tensor name is empty.", nameof(tensors));
            }

            if (!names.Add(name))
            {
                throw new ArgumentException($"The tensor name '{name}' appears twice.", nameof(tensors));
            }

            ArgumentNullException.ThrowIfNull(shape);
            var info = new TensorInfo(name, shape.ToArray(), (int)offset);
            offset += info.ElementCount;
            if (offset > Array.MaxLength)
            {
                throw new ArgumentException($"The model has more than {Array.MaxLength} parameters, the most one buffer can hold.", nameof(tensors));
            }

            result.Add(info);
        }

        return result.ToArray();
    }
}
