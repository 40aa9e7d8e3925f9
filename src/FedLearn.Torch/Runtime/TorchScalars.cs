using TorchSharp;

namespace FedLearn.Torch;

/// <summary>
/// Scalars that live as long as the process. TorchSharp's <c>add</c> without an <c>alpha</c>, and the tensor
/// <c>+</c> operator, create an implicit <see cref="Scalar"/> 1 that the garbage collector may
/// finalize while LibTorch still reads it (see <see cref="LocalOptimizer"/>); this one is never collected. LibTorch
/// only reads a scalar, so threads may share it.
/// </summary>
internal static class TorchScalars
{
    /// <summary>The integer 1, the <c>alpha</c> TorchSharp passes when none is given.</summary>
    public static readonly Scalar One = 1.ToScalar();
}
