using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// Maps a TorchSharp <see cref="nn.Module"/> to and from <see cref="ModelWeights"/>: every floating-point tensor of
/// the module's <c>state_dict()</c> — parameters and buffers such as BatchNorm's <c>running_mean</c> and
/// <c>running_var</c> — by name, in <c>state_dict()</c> order (all parameters, then all buffers).
/// </summary>
/// <remarks>
/// <para>
/// Integer and boolean buffers are not part of the weights. The only common one is BatchNorm's
/// <c>num_batches_tracked</c> (int64): it counts training batches and is read only when BatchNorm's momentum is
/// unset (cumulative averaging); with the default momentum (0.1) it has no effect on training or inference. Averaging
/// a counter across clients has no meaning, and a float would hold it exactly only up to 2^24, so it stays local to
/// each module and is never sent. Loading weights leaves it untouched.
/// </para>
/// <para>
/// Float32 tensors on the CPU are copied straight between the native storage and the weights' buffer, with no
/// intermediate copy. Tensors on a GPU or of another floating type (float64, float16, bfloat16) go through one
/// temporary CPU float32 tensor, disposed before the call returns; float64 values are rounded to float32.
/// </para>
/// <para>
/// Loading checks the names and shapes first and, on any mismatch, throws one <see cref="ArgumentException"/> that
/// names every missing, extra or mis-shaped tensor, before changing anything. Not thread-safe: do not use a module
/// from another thread while its weights are read or written.
/// </para>
/// </remarks>
public static class ModuleWeights
{
    /// <summary>The names and shapes of the tensors that <see cref="GetWeights"/> returns, in order.</summary>
    /// <param name="module">The model.</param>
    /// <returns>One entry per floating-point tensor of <c>state_dict()</c>.</returns>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public static IReadOnlyList<(string Name, int[] Shape)> GetWeightLayout(this nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        TorchRuntime.EnsureAvailable();
        return MappedTensors(module, skipped: null).Select(entry => (entry.Key, ShapeOf(entry.Key, entry.Value))).ToArray();
    }

    /// <summary>A copy of the module's weights (parameters and floating-point buffers) as new <see cref="ModelWeights"/>.</summary>
    /// <param name="module">The model.</param>
    /// <returns>New weights the caller owns.</returns>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public static ModelWeights GetWeights(this nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        TorchRuntime.EnsureAvailable();
        List<KeyValuePair<string, Tensor>> tensors = MappedTensors(module, skipped: null);
        var weights = new ModelWeights(tensors.Select(entry => (entry.Key, ShapeOf(entry.Key, entry.Value))));
        foreach ((string name, Tensor tensor) in tensors)
        {
            CopyToSpan(tensor, weights.GetTensor(name));
        }

        return weights;
    }

    /// <summary>Copies the module's weights into <paramref name="destination"/>, which must have the same tensors (in any order).</summary>
    /// <param name="module">The model.</param>
    /// <param name="destination">Weights with one tensor per floating-point tensor of the module, same names and shapes.</param>
    /// <exception cref="ArgumentException">The tensors differ; the message names each missing, extra or mis-shaped tensor.</exception>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public static void CopyWeightsTo(this nn.Module module, ModelWeights destination)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(destination);
        TorchRuntime.EnsureAvailable();
        List<KeyValuePair<string, Tensor>> tensors = CheckedTensors(module, destination, nameof(destination));
        foreach ((string name, Tensor tensor) in tensors)
        {
            CopyToSpan(tensor, destination.GetTensor(name));
        }
    }

    /// <summary>
    /// Overwrites the module's parameters and floating-point buffers with <paramref name="weights"/>, matched by name.
    /// Nothing is changed when the check fails.
    /// </summary>
    /// <param name="module">The model.</param>
    /// <param name="weights">Weights with one tensor per floating-point tensor of the module, same names and shapes, in any order.</param>
    /// <exception cref="ArgumentException">The tensors differ; the message names each missing, extra or mis-shaped tensor.</exception>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public static void LoadWeights(this nn.Module module, ModelWeights weights)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(weights);
        TorchRuntime.EnsureAvailable();
        List<KeyValuePair<string, Tensor>> tensors = CheckedTensors(module, weights, nameof(weights));
        foreach ((string name, Tensor tensor) in tensors)
        {
            CopyFromSpan(weights.GetTensor(name), tensor);
        }
    }

    /// <summary>The module's floating-point state tensors after checking them against <paramref name="weights"/>.</summary>
    private static List<KeyValuePair<string, Tensor>> CheckedTensors(nn.Module module, ModelWeights weights, string parameterName)
    {
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        List<KeyValuePair<string, Tensor>> tensors = MappedTensors(module, skipped);
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in tensors)
        {
            names.Add(name);
            int[] shape = ShapeOf(name, tensor);
            if (!weights.Contains(name))
            {
                problems.Add($"missing tensor '{name}' {ShapeText(shape)} (the model has it, the weights do not)");
                continue;
            }

            TensorInfo info = weights.GetInfo(name);
            if (!info.Shape.SequenceEqual(shape))
            {
                problems.Add($"tensor '{name}' has shape {info.ShapeText} in the weights but {ShapeText(shape)} in the model");
            }
        }

        foreach (TensorInfo info in weights.Tensors)
        {
            if (names.Contains(info.Name))
            {
                continue;
            }

            problems.Add(skipped.Contains(info.Name)
                ? $"extra tensor '{info.Name}' {info.ShapeText} (the model's '{info.Name}' is an integer buffer, which weights do not carry)"
                : $"extra tensor '{info.Name}' {info.ShapeText} (the weights have it, the model does not)");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"The weights do not match the model ({module.GetType().Name}): {string.Join("; ", problems)}.", parameterName);
        }

        return tensors;
    }

    /// <summary>The floating-point entries of <c>state_dict()</c>, in order; integer and boolean buffers go to <paramref name="skipped"/>.</summary>
    private static List<KeyValuePair<string, Tensor>> MappedTensors(nn.Module module, HashSet<string>? skipped)
    {
        // state_dict() returns the module's own tensors (no new handles), so nothing here needs disposing.
        Dictionary<string, Tensor> state = module.state_dict();
        var result = new List<KeyValuePair<string, Tensor>>(state.Count);
        foreach (KeyValuePair<string, Tensor> entry in state)
        {
            ScalarType type = entry.Value.dtype;
            if (is_floating_point(entry.Value))
            {
                result.Add(entry);
            }
            else if (is_integral(type) || type == ScalarType.Bool)
            {
                skipped?.Add(entry.Key);
            }
            else
            {
                throw new NotSupportedException($"Tensor '{entry.Key}' has type {type}; model weights hold only real floating-point tensors.");
            }
        }

        return result;
    }

    private static int[] ShapeOf(string name, Tensor tensor)
    {
        long[] shape = tensor.shape;
        var result = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] > int.MaxValue)
            {
                throw new NotSupportedException($"Tensor '{name}' has dimension {i} of size {shape[i]}, more than model weights can hold.");
            }

            result[i] = (int)shape[i];
        }

        return result;
    }

    private static string ShapeText(int[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Copies a tensor's values into <paramref name="destination"/> (same element count).</summary>
    internal static void CopyToSpan(Tensor source, Span<float> destination)
    {
        if (IsDirect(source))
        {
            // Zero-copy view of the CPU storage: one memcpy into the weights' buffer.
            MemoryMarshal.Cast<byte, float>(source.bytes).CopyTo(destination);
            return;
        }

        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        Tensor staging = source.detach().to(ScalarType.Float32, CPU).contiguous();
        MemoryMarshal.Cast<byte, float>(staging.bytes).CopyTo(destination);
    }

    /// <summary>Overwrites a tensor's values with <paramref name="source"/> (same element count), outside autograd.</summary>
    internal static void CopyFromSpan(ReadOnlySpan<float> source, Tensor destination)
    {
        if (IsDirect(destination))
        {
            source.CopyTo(MemoryMarshal.Cast<byte, float>(destination.bytes));
            return;
        }

        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        Tensor staging = empty(destination.shape, ScalarType.Float32, CPU);
        source.CopyTo(MemoryMarshal.Cast<byte, float>(staging.bytes));
        destination.copy_(staging);
    }

    private static bool IsDirect(Tensor tensor) =>
        tensor.device_type == DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.is_contiguous();
}
