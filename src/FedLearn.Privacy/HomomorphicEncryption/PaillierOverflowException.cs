namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>A packed Paillier sum overflowed a slot (more contributions than the padding bits allow); the sum is unusable.</summary>
public sealed class PaillierOverflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PaillierOverflowException()
        : base("A packed Paillier sum overflowed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PaillierOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public PaillierOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
