using System.Globalization;
using System.Numerics.Tensors;

namespace FedLearn.Optimizers;

/// <summary>Argument and state checks shared by the server optimizers, so every one of them fails the same clear way.</summary>
internal static class OptimizerStateChecks
{
    /// <summary>Checks the arguments of <see cref="IServerOptimizer.Step"/> before anything is modified.</summary>
    public static void CheckStep(string optimizer, ReadOnlySpan<float> weights, ReadOnlySpan<float> delta)
    {
        if (weights.Length != delta.Length)
        {
            throw new ArgumentException($"{optimizer}: the delta has {delta.Length} values but the weights have {weights.Length}.", nameof(delta));
        }

        if (weights.Overlaps(delta))
        {
            throw new ArgumentException($"{optimizer}: the delta and the weights must not share memory.", nameof(delta));
        }

        int index = IndexOfNonFinite(delta);
        if (index >= 0)
        {
            throw new ArgumentException($"{optimizer}: the delta has a non-finite value ({Show(delta[index])}) at index {index}; it would poison the optimizer state.", nameof(delta));
        }
    }

    /// <summary>Checks that state sized on an earlier step still fits the weights.</summary>
    public static void CheckStateLength(string optimizer, int stateLength, int weightsLength)
    {
        if (stateLength != weightsLength)
        {
            throw new ArgumentException(
                $"{optimizer}: the optimizer state holds {stateLength} values per buffer but the weights have {weightsLength}; use a new optimizer (or import matching state) when the model changes.",
                "weights");
        }
    }

    /// <summary>A snapshot of the named buffers (copies), or an empty dictionary when the state is not sized yet.</summary>
    public static IReadOnlyDictionary<string, float[]> Export(string[] names, float[]?[] buffers)
    {
        var state = new Dictionary<string, float[]>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (buffers[i] is float[] buffer)
            {
                state.Add(names[i], (float[])buffer.Clone());
            }
        }

        return state;
    }

    /// <summary>
    /// Validates exported state and returns copies of its buffers in the order of <paramref name="names"/>; returns
    /// null for an empty dictionary (the state of an optimizer that has not stepped yet).
    /// </summary>
    public static float[][]? Import(string optimizer, IReadOnlyDictionary<string, float[]> state, string[] names, string? nonNegativeName)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count == 0)
        {
            return null;
        }

        string expected = names.Length == 0 ? "none" : string.Join(", ", names.Select(n => $"'{n}'"));
        var unknown = state.Keys.Where(k => !names.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"{optimizer}: unknown state {string.Join(", ", unknown.Select(k => $"'{k}'"))}; this optimizer keeps {expected}.",
                nameof(state));
        }

        var buffers = new float[names.Length][];
        for (int i = 0; i < names.Length; i++)
        {
            if (!state.TryGetValue(names[i], out float[]? buffer))
            {
                throw new ArgumentException($"{optimizer}: the state '{names[i]}' is missing; this optimizer keeps {expected}.", nameof(state));
            }

            if (buffer is null)
            {
                throw new ArgumentException($"{optimizer}: the state '{names[i]}' is null.", nameof(state));
            }

            if (i > 0 && buffer.Length != buffers[0].Length)
            {
                throw new ArgumentException(
                    $"{optimizer}: the state '{names[i]}' has {buffer.Length} values but '{names[0]}' has {buffers[0].Length}; every buffer must have the model's length.",
                    nameof(state));
            }

            int index = IndexOfNonFinite(buffer);
            if (index >= 0)
            {
                throw new ArgumentException($"{optimizer}: the state '{names[i]}' has a non-finite value ({Show(buffer[index])}) at index {index}.", nameof(state));
            }

            if (names[i] == nonNegativeName && buffer.Length > 0 && TensorPrimitives.Min<float>(buffer) < 0)
            {
                int smallest = TensorPrimitives.IndexOfMin<float>(buffer);
                throw new ArgumentException(
                    $"{optimizer}: the second moment '{names[i]}' must not be negative but has {Show(buffer[smallest])} at index {smallest}.",
                    nameof(state));
            }

            buffers[i] = (float[])buffer.Clone();
        }

        return buffers;
    }

    private static string Show(float value) => value.ToString(CultureInfo.InvariantCulture);

    // The index of the first NaN or infinity, or −1. (TensorPrimitives.IsFiniteAll is the fast path; it is false
    // for an empty span, hence the explicit check.)
    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty || TensorPrimitives.IsFiniteAll(values))
        {
            return -1;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
