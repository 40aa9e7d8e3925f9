using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>The two pieces of DP-SGD arithmetic: per-sample clipping factors and the Gaussian noise on the sum.</summary>
internal static class DpSgdClipping
{
    /// <summary>Added to a norm before dividing, so a zero gradient gets factor 1 and a clipped one a norm strictly below C.</summary>
    public const double NormEpsilon = 1e-6;

    /// <summary>min(1, C / (‖gₙ‖ + 1e-6)) for each sample: scaling gₙ by it gives a norm of at most C.</summary>
    /// <param name="squaredNorms">‖gₙ‖², shape [B].</param>
    /// <param name="maxNorm">C.</param>
    public static Tensor Factors(Tensor squaredNorms, double maxNorm)
    {
        // Owned scalars, not implicit conversions (see LocalOptimizer for why).
        using Scalar epsilon = NormEpsilon.ToScalar();
        using Scalar bound = maxNorm.ToScalar();
        using Scalar one = 1.0.ToScalar();
        return squaredNorms.sqrt().add(epsilon, TorchScalars.One).reciprocal().mul(bound).clamp_max(one);
    }

    /// <summary>A new tensor <paramref name="sum"/> + N(0, std²) elementwise, drawn on the CPU from <paramref name="generator"/>.</summary>
    public static Tensor AddNoise(Tensor sum, double std, Generator generator)
    {
        if (std == 0)
        {
            return sum.clone();
        }

        // torch.normal(0, std) as TorchSharp computes it (randn · std + 0), with an owned scalar.
        using Scalar deviation = std.ToScalar();
        Tensor draw = randn(sum.shape, sum.dtype, CPU, generator: generator).mul_(deviation);
        return sum.add(sum.device_type == DeviceType.CPU ? draw : draw.to(sum.device), TorchScalars.One);
    }
}
