namespace FedLearn.Tracking;

/// <summary>A tracking store or server refused a request; the message says which request and why.</summary>
public sealed class ExperimentTrackingException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public ExperimentTrackingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ExperimentTrackingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public ExperimentTrackingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
