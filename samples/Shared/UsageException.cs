namespace FedLearn.Samples.Shared;

/// <summary>A bad command-line option or input; reported as one line with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
