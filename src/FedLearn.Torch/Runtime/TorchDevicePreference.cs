namespace FedLearn.Torch;

/// <summary>Where FedLearn.Torch runs models.</summary>
public enum TorchDevicePreference
{
    /// <summary>The first CUDA device when <c>torch.cuda.is_available()</c>, otherwise the CPU.</summary>
    Auto = 0,

    /// <summary>Always the CPU, even when a CUDA device is present.</summary>
    Cpu = 1,
}
