namespace FedLearn.Torch;

/// <summary>
/// Thrown when TorchSharp's native library (LibTorch and its wrapper) cannot be loaded. The message says what the
/// library needs and how to provide it; <see cref="Exception.InnerException"/> holds the loader's original error.
/// </summary>
public sealed class TorchUnavailableException : Exception
{
    /// <summary>Creates the exception with the standard explanation.</summary>
    public TorchUnavailableException()
        : base(TorchRuntime.UnavailableMessage(detail: null))
    {
    }

    /// <summary>Creates the exception with a custom message.</summary>
    /// <param name="message">The message.</param>
    public TorchUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a custom message and the loader's error.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The error the native loader reported.</param>
    public TorchUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
