using FedLearn.Client;

namespace FedLearn.Samples.Client;

/// <summary>Keeps a client's state (its named float buffers, such as error-feedback residuals) in a safetensors file between runs.</summary>
internal static class ClientStateStore
{
    private const string FileName = "client-state.safetensors";

    public static ClientState Load(string? directory)
    {
        var state = new ClientState();
        string? path = directory is null ? null : Path.Combine(directory, FileName);
        if (path is null || !File.Exists(path))
        {
            return state;
        }

        ModelWeights saved = SafeTensors.ReadFile(path);
        foreach (TensorInfo tensor in saved.Tensors)
        {
            saved.GetTensor(tensor.Name).CopyTo(state.Compression.GetOrCreate(tensor.Name, tensor.ElementCount));
        }

        return state;
    }

    public static void Save(string? directory, ClientState state)
    {
        if (directory is null)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        string[] keys = state.Compression.Keys.ToArray();
        var buffers = keys.Select(k => { state.Compression.TryGet(k, out float[] b); return b; }).ToArray();
        ModelWeights weights = ModelWeights.FromBuffer(keys.Select((k, i) => (k, new[] { buffers[i].Length })), buffers.SelectMany(b => b).ToArray());
        string path = Path.Combine(directory, FileName);
        SafeTensors.WriteFile(weights, path + ".tmp");
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
