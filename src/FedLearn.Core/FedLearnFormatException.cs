namespace FedLearn;

/// <summary>
/// Thrown when bytes that claim to be a FedLearn payload, a checkpoint, a safetensors file or a data file are not:
/// truncated, corrupted, oversized or inconsistent. The message names what is wrong and where.
/// </summary>
public sealed class FedLearnFormatException : Exception
{
    /// <summary>Creates the exception with a message that names what is wrong.</summary>
    public FedLearnFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public FedLearnFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public FedLearnFormatException()
        : base("The data is not in a valid FedLearn format.")
    {
    }
}
