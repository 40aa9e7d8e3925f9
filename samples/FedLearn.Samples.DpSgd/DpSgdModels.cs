using FedLearn.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Samples.DpSgd;

/// <summary>The models this sample can train: the DP-friendly CNN or one of FedLearn.Torch's ready models.</summary>
internal static class DpSgdModels
{
    public static nn.Module<Tensor, Tensor> Create(string name, ulong seed) =>
        name == "dpcnn" ? new DpCnnModel(seed) : TorchModels.Create(name, seed);
}
